"""Helpers for the Django admin that every app's ModelAdmin may use."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest


class LabelledListEditable(admin.ModelAdmin):
    """A ModelAdmin whose list's editable columns (``list_editable``) are named for assistive technology.

    Django's admin draws each editable cell as a bare input under the column's header, with no label
    (WCAG 2.1 1.3.1 and 4.1.2); each field is given the column's name and the row's, as "Capacity —
    Injection room".
    """

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[ModelForm[Model]]:
        form = super().get_changelist_form(request, **kwargs)

        class Labelled(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                row = self.instance if self.instance.pk else None
                for field in self.fields.values():
                    if not field.widget.is_hidden:
                        field.widget.attrs["aria-label"] = f"{field.label} — {row}" if row else str(field.label)

        return Labelled
