from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import IdSelectField
from app.proposals import queries
from app.proposals.models import WITHDRAW_REASON_LABELS


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(min=8, max=140)],
        description=_l("One line that says what should change."),
    )
    problem = TextAreaField(
        _l("What is not working?"), validators=[DataRequired(), Length(min=20, max=5000)],
        description=_l("Describe the problem as you meet it. Markdown is allowed."),
    )
    suggestion = TextAreaField(
        _l("What would you change?"), validators=[DataRequired(), Length(min=20, max=5000)],
        description=_l("Your suggested change. Markdown is allowed."),
    )
    category_id = IdSelectField(_l("Category"),
                                validators=[InputRequired(_l("Choose a category."))])
    branch_id = IdSelectField(_l("Library branch"),
                              validators=[InputRequired(_l("Choose a library branch."))])
    hide_name = BooleanField(
        _l("Hide my name from the public"),
        description=_l("Others then see only your patron type, for example “an undergraduate”."),
    )
    call_id = HiddenField()  # the call for ideas proposed into (app/proposals/calls.py)
    # Read by the routes with the descriptions beside them (app/media/services.py: PhotoChoice);
    # a field here so that what is refused about them shows beside the input.
    photos = MultipleFileField(_l("Photos (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_place_choices(self)
        self.photos.description = _(
            "Up to %(num)d JPEG, PNG, WebP or HEIC photos of at most %(size)d MB each. "
            "Location and camera details are removed before anyone sees them.",
            num=current_app.config["MEDIA_MAX_PHOTOS"],
            size=current_app.config["MEDIA_MAX_BYTES"] // (1024 * 1024))


def fill_place_choices(form) -> None:
    """Categories and branches are data: their choices are read for every form."""
    form.category_id.choices = [SelectChoice(c.id, c.name) for c in queries.categories()]
    form.branch_id.choices = [SelectChoice(b.id, b.name) for b in queries.branches()]


class DeskProposalForm(ProposalForm):
    """Staff entering an idea heard at a desk, on behalf of the patron."""

    at_desk = BooleanField(_l("I am entering this for a patron I met at a desk"))
    patron_email = EmailField(
        _l("Patron's e-mail address (optional)"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        description=_l("If the patron has an account the proposal is credited to them; "
                       "otherwise it is recorded as entered at the desk by you."),
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(min=2, max=5000)],
        description=_l("Markdown is allowed."),
    )
    # A token per form shown: a page brought back by the browser posts the same one again,
    # and a comment is posted once (app/proposals/posting.py).
    once = HiddenField()


class ReplyForm(CommentForm):
    body = TextAreaField(
        _l("Your reply"), validators=[DataRequired(), Length(min=2, max=5000)],
        description=_l("Markdown is allowed."),
    )


class CommentEditForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(min=2, max=5000)],
        description=_l("Markdown is allowed."),
    )


class WithdrawForm(FlaskForm):
    reason = RadioField(
        _l("Why do you withdraw it?"),
        choices=[SelectChoice(reason.value, _l(label))
                 for reason, label in WITHDRAW_REASON_LABELS.items()],
        validators=[InputRequired(_l("Choose why you withdraw the proposal."))],
    )
    details = TextAreaField(
        _l("In your words (shown with the proposal)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Needed when you choose “Another reason”."),
    )


class SupportForm(FlaskForm):
    want = HiddenField()
