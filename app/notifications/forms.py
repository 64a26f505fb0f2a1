from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.notifications.models import Channel, Topic
from app.proposals.models import Branch

TOPIC_LABELS = {
    Topic.DECISIONS: _l("Decisions on proposals I follow"),
    Topic.RESPONSES: _l("The library's official responses"),
    Topic.PROJECTS: _l("Project news and outcomes"),
    Topic.DISCUSSION: _l("Comments and replies"),
    Topic.WORKSHOPS: _l("Workshops I registered for"),
    Topic.CALLS: _l("Calls for ideas"),
}
CHANNEL_LABELS = {
    Channel.IN_APP: _l("Here, in Commons"),
    Channel.EMAIL: _l("E-mail at once"),
    Channel.DIGEST: _l("Weekly digest"),
}
EVERY_BRANCH = "all"


def field_name(topic: Topic, channel: Channel) -> str:
    return f"{topic.value}-{channel.value}"


class SettingsForm(FlaskForm):
    """One checkbox per kind of event and channel (fields named "decisions-email" …), and the
    branches whose new calls for ideas the patron hears of."""

    call_branches = SelectMultipleField(
        _l("Tell me when a call for ideas opens in"), choices=[],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        branches = db.session.scalars(select(Branch).order_by(Branch.position, Branch.id))
        self.call_branches.choices = [(EVERY_BRANCH, _l("Every branch")),
                                      *((str(b.id), b.name) for b in branches)]

    def table(self) -> dict[tuple[Topic, Channel], bool]:
        return {(topic, channel): bool(self[field_name(topic, channel)].data)
                for topic in Topic for channel in Channel}

    def branch_ids(self) -> set[int | None]:
        return {None if value == EVERY_BRANCH else int(value)
                for value in self.call_branches.data or []}


for _topic in Topic:
    for _channel in Channel:
        setattr(SettingsForm, field_name(_topic, _channel), BooleanField(
            _l("%(kind)s: %(channel)s", kind=TOPIC_LABELS[_topic],
               channel=CHANNEL_LABELS[_channel])))
