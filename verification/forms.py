from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=200)
    title = forms.CharField(label=_("Your title"), max_length=200)
    agree = forms.BooleanField(
        label=_(
            "I consent, for the company, to other participating members finding it by name "
            "and seeing its CTPAT status and tier."
        )
    )


class SettingsForm(forms.Form):
    auto_accept = forms.BooleanField(
        label=_("Accept monitoring requests automatically"), required=False
    )


class RequestForm(forms.Form):
    partner = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )


class CertificateForm(forms.Form):
    email = forms.EmailField(label=_("Recipient's e-mail address"))
