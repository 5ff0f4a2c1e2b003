"""Argument types shared by the `ctpat` management commands."""

from __future__ import annotations

import argparse
import datetime


def iso_date(value: str) -> datetime.date:
    """A `--date YYYY-MM-DD` argument; anything else is refused with the format to use."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from exc
