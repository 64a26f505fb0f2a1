from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from flask import flash, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField
from wtforms.fields.choices import Choice

from app.domain import Refused
from app.extensions import db

CHOOSE = _l("Choose…")


def render_form(template: str, form: FlaskForm, **context):
    """A form page: 422 when a submission was refused, so the typed input comes back with its
    reasons."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


@dataclass
class Attempt:
    refusal: Refused | None = None

    @property
    def committed(self) -> bool:
        return self.refusal is None


@contextmanager
def committing(form: FlaskForm | None = None) -> Iterator[Attempt]:
    """The view's one transaction: what the block writes is committed once; a rule's refusal
    rolls it all back and reaches the person, beside the form that is shown again (see
    `attach`) or, without one, as a flashed error. Any other exception passes through.

        with committing(form) as attempt:
            proposal = services.create(...)
        if attempt.committed:
            return redirect(...)
        return render_form(..., form)
    """
    attempt = Attempt()
    try:
        yield attempt
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        attempt.refusal = refusal
        if form is None:
            flash(str(refusal), "error")
        else:
            attach(form, refusal)


def attach(form: FlaskForm, refusal: Refused) -> None:
    """A refusal names the attribute it is about; the form's field of that name (or, for a
    choice of database rows, that name with `_id`) shows it. A refusal about no field, or one
    this form does not have, is shown at the top of the form."""
    for name in (refusal.field, f"{refusal.field}_id") if refusal.field else ():
        field = form[name] if name in form else None
        if field is not None and isinstance(field.errors, list | tuple):
            field.errors = [*field.errors, str(refusal)]  # a tuple before validation
            return
    form.form_errors.append(str(refusal))


class ChoiceField(SelectField):
    """A required choice that starts on an empty "Choose…" option: nobody files under a choice
    they never made, and HTML wants a required select's first option empty. An empty answer is
    no choice (None), for the field's required validator to name in its own words."""

    def iter_choices(self):
        return [Choice("", str(CHOOSE), self.data is None, None), *super().iter_choices()]

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class IdSelectField(ChoiceField):
    """A choice of database ids: a non-number is just another invalid choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.gettext("Not a valid choice.")) from None


class BoundedIntegerField(IntegerField):
    """A whole number of at most `digits` digits: longer input (or a number too large for the
    range check, which converts to float) is a validation error, never an OverflowError."""

    def __init__(self, *args, digits: int = 9, **kwargs):
        super().__init__(*args, **kwargs)
        self.digits = digits

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip().lstrip("+-")) > self.digits:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


class FiniteDecimalField(DecimalField):
    """A decimal that fits a Numeric(precision, scale) column: no NaN, no infinity, no more
    whole digits than the column holds (the database would refuse it with an error)."""

    def __init__(self, *args, precision: int = 14, scale: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = Decimal(10) ** (precision - scale)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite() or abs(self.data) >= self.limit):
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def an_id(value: str) -> bool:
    """A form value that can be a row's id: digits only, short enough for the column."""
    return value.isdigit() and len(value) < 10


LOCAL_MOMENT = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends, on the library's clock


def optional_id(value):
    """A select's choice of a row, or none: what is not a number is no choice it offered."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not among the choices: refused as an invalid choice
