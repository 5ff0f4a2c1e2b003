from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import BusinessPartner
from questionnaires.models import DEFAULT_VALID_DAYS, Language


class SendForm(forms.Form):
    """Send a questionnaire to a contact at the partner."""

    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The partner's browser language")), *Language.choices],
        required=False,
    )
    valid_days = forms.IntegerField(
        label=_("Link valid for (days)"),
        min_value=1,
        max_value=120,
        initial=DEFAULT_VALID_DAYS,
        help_text=_("After this the link stops working and the questionnaire is overdue."),
    )

    def __init__(self, *args: Any, partner: BusinessPartner | None = None, **kwargs: Any) -> None:
        if partner is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "contact_email": partner.contact_email,
                "contact_name": partner.contact_name,
                "valid_days": DEFAULT_VALID_DAYS,
            }
        super().__init__(*args, **kwargs)
