from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.extensions import db
from app.forms import LOCAL_MOMENT, optional_id
from app.proposals.calls import Call

CALLS_OFFERED = 100
SECTIONS_HINT = _l("Markdown is allowed. Start each numbered section with a level-2 heading "
                   "(a line beginning with “## ”); text before the first heading introduces the "
                   "draft.")


class ConsultationForm(FlaskForm):
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=140)])
    title_zh = StringField(_l("Title in Chinese"), validators=[Optional(), Length(max=140)],
                           description=_l("Give the title in one language or both."))
    body_en = TextAreaField(_l("Draft in English"), validators=[Optional(), Length(max=50000)])
    body_zh = TextAreaField(_l("Draft in Chinese"), validators=[Optional(), Length(max=50000)],
                            description=SECTIONS_HINT)
    opens_at = DateTimeLocalField(_l("Comments open"), format=LOCAL_MOMENT, validators=[
        InputRequired(_l("Enter a date and time."))])
    closes_at = DateTimeLocalField(_l("Comments close"), format=LOCAL_MOMENT, validators=[
        InputRequired(_l("Enter a date and time."))])
    call_id = SelectField(_l("Call for ideas"), coerce=optional_id,
                          description=_l("The call page links the consultation."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        calls = db.session.scalars(select(Call).order_by(Call.collecting_starts_at.desc())
                                   .limit(CALLS_OFFERED)).unique()
        self.call_id.choices = [SelectChoice(None, _l("None"))] + [
            SelectChoice(call.id, call.title) for call in calls]


class ResponseForm(FlaskForm):
    response_en = TextAreaField(_l("Response in English"),
                                validators=[Optional(), Length(max=50000)])
    response_zh = TextAreaField(_l("Response in Chinese"),
                                validators=[Optional(), Length(max=50000)],
                                description=_l("First a summary of what changed; then one part "
                                               "per section of the draft, in order, each "
                                               "starting with a level-2 heading (“## ”)."))


class ConsultationCommentForm(FlaskForm):
    section = SelectField(_l("About"), coerce=optional_id)
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(min=2, max=5000)],
                         description=_l("Markdown is allowed."))
    # A token per form shown: a page brought back by the browser posts it once (as proposals).
    once = HiddenField()

    def offer(self, draft) -> "ConsultationCommentForm":
        self.section.choices = [SelectChoice(None, _l("The whole draft"))] + [
            SelectChoice(s.number, _l("Section %(num)d: %(title)s", num=s.number, title=s.title))
            for s in draft.sections]
        return self
