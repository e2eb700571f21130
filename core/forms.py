"""Form widgets and fields that several apps' forms use: date-time and clock inputs, choices read once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIteratorValue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


# Emergency times are to the second: an intervention in the closing minute is inside the record, and
# saving the form unchanged keeps every time as it was.
DATETIME_SECONDS = "%Y-%m-%dT%H:%M:%S"


class SecondsInput(forms.DateTimeInput):
    """The browser's date and time picker, to the second."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": "1", **(attrs or {})}, format=DATETIME_SECONDS)


class ClockTimeField(forms.TimeField):
    """A 24-hour time typed as the staff say it: 08:00, 8:00, 0800, 08.00 or 8.

    A text box, not <input type="time">: the browser would show a US-English station AM/PM.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M"])
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "placeholder": "08:00", "autocomplete": "off", "size": 5})
        return attrs

    def to_python(self, value: str | dt.time | None) -> dt.time | None:
        if isinstance(value, str):
            raw = value.strip().replace(".", ":")
            if raw.isdigit() and len(raw) in (3, 4):
                raw = f"{raw[:-2]}:{raw[-2:]}"
            elif raw.isdigit() and len(raw) <= 2:
                raw = f"{raw}:00"
            value = raw
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value


class ClosingTimeField(ClockTimeField):
    """A closing time, which may be 24:00 (also 24 or 2400): the end of the day, kept as 00:00.

    The database reads a closing time of 00:00 as the end of the day (``core.days.local_closing``),
    and this field shows it as 24:00 again.
    """

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["placeholder"] = "21:30"
        return attrs

    def to_python(self, value: str | dt.time | None) -> dt.time | None:
        if isinstance(value, str) and value.strip().replace(".", ":") in ("24", "2400", "24:00"):
            return dt.time.min
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return "24:00" if value == dt.time.min else super().prepare_value(value)


class _ReadOnceChoices(forms.ModelChoiceField):
    """Choices from objects the view read once, shown and checked without asking the database again.

    A plain ModelChoiceField queries each time its widget is drawn and again to check what was
    submitted; the client card draws three substance lists, so the view reads the substances once
    and hands the same objects to every field. The field's queryset is only a fallback.
    """

    def use_objects(self, objects: Iterable[Model]) -> None:
        objects = list(objects)
        self._objects = {obj.pk: obj for obj in objects}
        choices: list[tuple[ModelChoiceIteratorValue | str, StrOrPromise]] = [
            (ModelChoiceIteratorValue(obj.pk, obj), self.label_from_instance(obj)) for obj in objects
        ]
        if self.empty_label is not None:
            choices.insert(0, ("", self.empty_label))
        self.choices = choices

    def _object(self, value: Any) -> Model:
        if isinstance(value, Model):
            value = value.pk
        queryset = self.queryset
        assert queryset is not None  # the fallback every field here is given
        try:
            return self._objects[queryset.model._meta.pk.to_python(value)]
        except (KeyError, ValueError, TypeError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class ReadOnceModelChoiceField(_ReadOnceChoices, forms.ModelChoiceField):
    def to_python(self, value: Any | None) -> Model | None:
        if not hasattr(self, "_objects"):
            return super().to_python(value)
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        return self._object(value)


class ReadOnceModelMultipleChoiceField(_ReadOnceChoices, forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> list[Model]:
        if not hasattr(self, "_objects"):
            found: list[Model] = super()._check_values(value)  # type: ignore[misc]  # private in Django, absent from django-stubs
            return found
        try:
            value = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        queryset = self.queryset
        assert queryset is not None  # the fallback every field here is given
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                queryset.model._meta.pk.to_python(pk)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                ) from None
        chosen = {self._object(pk).pk for pk in value}
        return [obj for obj in self._objects.values() if obj.pk in chosen]
