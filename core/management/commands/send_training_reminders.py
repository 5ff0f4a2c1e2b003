"""`ctpat send_training_reminders`: old name of `ctpat send_reminders`, kept so the cron
lines of installations set up before the one reminder run keep working (running both sends
nothing twice). Replace the line with `ctpat send_reminders`."""

from __future__ import annotations

from core.management.commands import send_reminders


class Command(send_reminders.Command):
    help = "Old name of 'ctpat send_reminders' (kept for existing cron lines)."
