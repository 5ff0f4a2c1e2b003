"""`ctpat makemessages`: Django's, also reading `_l("…")`.

Several apps import `gettext_lazy as _l` beside `gettext as _` (a module that needs both a
lazy label at import time and a translation at request time). xgettext knows `_` and
`gettext_lazy` but not `_l`, so without this the strings behind `_l` were marked obsolete
at each run and their Spanish dropped out of the compiled catalogue.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
