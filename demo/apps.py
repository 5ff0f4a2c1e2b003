from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`ctpat load_demo`, `ctpat demo_totp`). It sits above every domain
    app because it fills them all; no app imports it."""

    name = "demo"
    verbose_name = "Demo data"
