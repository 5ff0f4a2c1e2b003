from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Create a new API token (it replaces your current one)"), required=True
    )
