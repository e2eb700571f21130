"""Versioned edits: two staff editing one record never overwrite each other without knowing.

A record that two staff may edit at once has a ``version`` that every write raises
(``version_bump``). Its edit form carries the version it was opened with (``VersionField``); the
service, with the row locked, calls ``version_check`` before it writes. When the record was saved by
someone else meanwhile the save is refused with ``StaleEdit``: what changed (field, as the form showed
it, as it is now) and who changed it, read from the record's history (django-simple-history), so the
page can show the difference and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Display = Callable[[Any], str]  # of a history row


@dataclass(frozen=True)
class Change:
    """One field that changed between the version a form showed and the record as it is now."""

    field: str
    seen: str
    now: str


class StaleEdit(ValidationError):
    """The form was opened at an older version of the record; nothing was saved."""

    def __init__(self, *, changes: list[Change], changed_by: list[str], current_version: int):
        super().__init__(
            _(
                "Someone else saved this record after you opened it. Nothing was saved: check what changed "
                "below and enter your change again."
            ),
            code="stale",
        )
        self.changes = changes
        self.changed_by = changed_by
        self.current_version = current_version


class VersionField(forms.IntegerField):
    """The hidden version a form was opened with."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        # Missing, cut off or tampered with: the same plain message, whatever the cause.
        broken = gettext_lazy("The form is incomplete: reload the page.")
        kwargs.setdefault(
            "error_messages", {"required": broken, "invalid": broken, "min_value": broken, "max_value": broken}
        )
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A form with a ``VersionField``: a broken version is shown as the form's own error.

    The version is a hidden input, and a hidden input's errors are shown nowhere on a crispy form; the
    person would see the form come back without knowing why.
    """

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, VersionField) and name in self.errors:
                self.add_error(None, list(self.errors.pop(name)))
        return cleaned


def version_bump(instance: Model) -> None:
    """Raise the version before saving a change."""
    instance.version = (instance.version or 0) + 1  # type: ignore[attr-defined]


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def display_value(instance: Any, name: str) -> str:  # a record or a row of its history
    """A field's value as staff read it: choice labels, local times to the second, "—" for nothing."""
    try:
        field = type(instance)._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    value = getattr(instance, field.attname if field is not None else name, None)
    if _empty(value):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if field is not None and field.is_relation:
        related = getattr(instance, name, None)
        return str(related) if related is not None else "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _label(model: type[Model], name: str) -> str:
    try:
        return str(cast(Field, model._meta.get_field(name)).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


def version_check(
    instance: Model,
    *,
    seen: int | None,
    fields: Sequence[str],
    display: Mapping[str, Display] | None = None,
    m2m: Mapping[str, Callable[[Iterable[int]], str]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Refuse a save from a form opened at version ``seen`` when the record has moved on.

    ``instance`` is the locked row as it is now. ``fields`` are the fields the form edits, compared
    between the version seen and now; ``display`` turns a field's value into text where the default
    does not fit, ``m2m`` a many-to-many field's ids; ``labels`` names a field kept by the history
    only (not a field of the model). ``seen`` of None (a caller without a form) is not
    checked.
    """
    current = instance.version  # type: ignore[attr-defined]
    if seen is None or seen == current:
        return
    display = display or {}
    m2m = m2m or {}
    labels = labels or {}
    history = instance.history  # type: ignore[attr-defined]
    before = history.filter(version=seen).order_by("-history_date", "-history_id").first()
    latest = history.order_by("-history_date", "-history_id").first()
    changes: list[Change] = []
    if before is not None and latest is not None:
        for name in fields:
            if name in m2m:
                was = {row.user_id for row in getattr(before, name).all()}
                now = {row.user_id for row in getattr(latest, name).all()}
                if was != now:
                    label = str(labels.get(name) or _label(type(instance), name))
                    changes.append(Change(label, m2m[name](was), m2m[name](now)))
                continue
            show = display.get(name) or partial(display_value, name=name)
            was_text, now_text = show(before), show(latest)
            if was_text != now_text:
                changes.append(Change(str(labels.get(name) or _label(type(instance), name)), was_text, now_text))
    later = history.filter(version__gt=seen).select_related("history_user").order_by("history_date")
    names: list[str] = []
    for row in later:
        name = row.history_user.get_username() if row.history_user else "—"
        when = timezone.localtime(row.history_date).strftime("%H:%M:%S")
        entry = f"{name} {when}"
        if entry not in names:
            names.append(entry)
    raise StaleEdit(changes=changes, changed_by=names, current_version=current)


def _flat(choices: Any) -> Iterable[tuple[object, object]]:
    """Choices with their groups opened: (value, label) pairs."""
    for value, label in choices or ():
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield value, label


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if _empty(value):
        return "—"
    choices = dict(_flat(getattr(field, "flatchoices", None) or getattr(field, "choices", None)))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple) or hasattr(value, "model"):  # several choices, or a queryset
        return ", ".join(str(choices.get(item, item)) for item in value) or "—"
    return str(choices.get(value, value))


def submitted_values(form: forms.Form) -> list[tuple[str, str]]:
    """What a refused form held, field by field, for the page to show beside what changed meanwhile."""
    data = getattr(form, "cleaned_data", {}) or {}
    shown = []
    for name, field in form.fields.items():
        bound = form[name]
        if bound.is_hidden or name not in data:
            continue
        value = data[name]
        if isinstance(value, tuple) and isinstance(field, forms.ChoiceField):
            value = bound.data  # one choice the form cleans into several values: the choice made
        shown.append((str(bound.label), _shown(field, value)))
    return shown
