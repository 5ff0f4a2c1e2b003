from __future__ import annotations

from django import forms

from notices.models import NoticeSettings


class NoticeSettingsForm(forms.ModelForm[NoticeSettings]):
    class Meta:
        model = NoticeSettings
        fields = ["email", "digest", "language"]
