"""The `ctpat` console command: OpenCTPAT's manage.py, installed by the project."""

from __future__ import annotations

import os
import sys


def product_version() -> str:
    """`OpenCTPAT 0.1.0 (Django 5.2.x)`: read from the installed packages' metadata, so it
    needs neither the settings nor Django's start-up."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("openctpat")
    except PackageNotFoundError:  # run from a checkout that was never installed
        ours = "unknown"
    return f"OpenCTPAT {ours} (Django {version('django')})"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if sys.argv[1:] == ["--version"]:
        print(product_version())
        return
    from django.core.management import execute_from_command_line

    from portal.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        # A setting missing or wrong (SECRET_KEY, DATABASE_URL...): say which, not where.
        sys.stderr.write(f"ctpat: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
