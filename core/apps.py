from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import export_jobs, files, lookups, reminders, tasks
        from core.export_views import only_the_requester
        from core.models import ExportJob

        lookups.register()
        files.register(ExportJob, "file", on_access=only_the_requester)
        reminders.register_daily_step(export_jobs.daily_cleanup)
        tasks.register_recoverer("core.export_jobs.recover_lost")
