from decimal import Decimal

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField


def render_form(template: str, form: FlaskForm, **context):
    """A form page: 422 when a submission was refused, so the typed input comes back with reasons."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


class IdSelectField(SelectField):
    """A select of database ids: a non-number is just another invalid choice."""

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
