from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import SelectField


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
