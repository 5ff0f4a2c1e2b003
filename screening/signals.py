"""Signals of the screening app.

`list_version_activated` is sent (inside the loading transaction) when a newly stored
list version replaces the active version of its list, with `version` and `previous`
(both `ListVersion`). Apps that keep screening results (partners) re-screen on it.
"""

from __future__ import annotations

from django.dispatch import Signal

list_version_activated = Signal()
