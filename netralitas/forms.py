"""The base of every form of the project: what any field accepts is bounded before it reaches a service or
the database.

- Text without its own limit (a textarea mapped to a TextField, a free note) takes at most
  ``TEXT_MAX_LENGTH`` characters: a megabyte pasted into a note gets a clear message, not a stored megabyte.
- Dates and times lie between ``EARLIEST`` and ``LATEST``: a year like 9999 or 0001 is refused with a
  message rather than overflowing a deadline calculation or a time-zone conversion later (a server error).

Field-specific limits (a model's ``max_length``, a form's own checks) still apply; these only fill the gaps.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from netralitas.errors import ServiceError

TEXT_MAX_LENGTH = 20_000
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def validate_sensible_date(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Tanggal itu terlalu lama atau terlalu jauh; periksa tahunnya (%(earliest)s sampai %(latest)s)."),
            code="date_range",
            params={"earliest": date_format(EARLIEST, "j F Y"), "latest": date_format(LATEST, "j F Y")},
        )


class BoundedInputMixin:
    """Limits every text field without a maximum length, and every date and time field, of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)


def bound_field(field: forms.Field) -> None:
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
    if isinstance(field, forms.DateField | forms.DateTimeField) and validate_sensible_date not in field.validators:
        field.validators.append(validate_sensible_date)


class Form(BoundedInputMixin, forms.Form):
    pass


class ModelForm(BoundedInputMixin, forms.ModelForm):
    pass


def submit(request, form, write, *, done, to):
    """The one way a page saves a form through a service. On a POST whose form is valid, ``write(cleaned_data)``
    runs the service; success is ``done`` as a message (or ``done(result)``) and a redirect to ``to`` (or
    ``to(result)``). A refusal (``ServiceError``) becomes the form's error beside everything typed, and a stale
    form takes the version the user has now seen, so the next save is checked against it. None: show the form
    (again); ``form.status`` is the status to show it with, ``form.refusal`` the service's error."""
    form.status, form.refusal = 200, None
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ServiceError as error:
        form.add_error(error.field, str(error))
        form.status, form.refusal = error.status, error
        if getattr(error, "version", None) is not None and "version" in form.fields:
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = error.version
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(to(result) if callable(to) else to)


def act(request, write, *, done, to, back=None):
    """The one way a button without a form (remove, withdraw, revoke) writes through a service: the refusal or
    the success as a message, then a redirect: to ``to`` (or ``to(result)``), or on a refusal to ``back``."""
    try:
        result = write()
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(back or to)
    if message := done(result) if callable(done) else done:  # "": the page itself shows what was done
        messages.success(request, message)
    return redirect(to(result) if callable(to) else to)
