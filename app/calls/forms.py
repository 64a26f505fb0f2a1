from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.forms import LOCAL_MOMENT, optional_id
from app.proposals import queries
from app.proposals.calls import PHASES


def _moment(label):
    return DateTimeLocalField(label, format=LOCAL_MOMENT, validators=[
        InputRequired(_l("Enter a date and time."))])


class CallForm(FlaskForm):
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=140)])
    title_zh = StringField(_l("Title in Chinese"), validators=[Optional(), Length(max=140)],
                           description=_l("Give the title in one language or both."))
    description_en = TextAreaField(_l("Description in English"),
                                   validators=[Optional(), Length(max=10000)])
    description_zh = TextAreaField(_l("Description in Chinese"),
                                   validators=[Optional(), Length(max=10000)],
                                   description=_l("What the library asks about, and what it will "
                                                  "do with the ideas. Markdown is allowed."))
    branch_id = SelectField(_l("Library branch"), coerce=optional_id)
    category_id = SelectField(_l("Category"), coerce=optional_id)
    collecting_starts_at = _moment(_l("Collecting ideas from"))
    collecting_ends_at = _moment(_l("Collecting ideas until"))
    supporting_starts_at = _moment(_l("Supporting from"))
    supporting_ends_at = _moment(_l("Supporting until"))
    reviewing_starts_at = _moment(_l("Staff reviewing from"))
    reviewing_ends_at = _moment(_l("Staff reviewing until"))
    results_starts_at = _moment(_l("Results from"))
    results_ends_at = _moment(_l("Results until"))
    summary_en = TextAreaField(_l("Closing summary in English"),
                               validators=[Optional(), Length(max=10000)])
    summary_zh = TextAreaField(_l("Closing summary in Chinese"),
                               validators=[Optional(), Length(max=10000)],
                               description=_l("Shown from the results phase on: what the call "
                                              "brought and what the library will do. Markdown "
                                              "is allowed."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch_id.choices = [SelectChoice(None, _l("All branches"))] + [
            SelectChoice(b.id, b.name) for b in queries.branches()]
        self.category_id.choices = [SelectChoice(None, _l("Any category"))] + [
            SelectChoice(c.id, c.name) for c in queries.categories()]

    def phase_fields(self):
        """The dates, phase by phase: (phase, start field, end field)."""
        return [(phase, self[starts], self[ends]) for phase, starts, ends in PHASES]


FIELDS = ("title_en", "title_zh", "description_en", "description_zh", "summary_en", "summary_zh",
          "branch_id", "category_id", *(name for _p, s, e in PHASES for name in (s, e)))
