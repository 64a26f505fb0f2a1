"""Calls for ideas: staff open them, the clock moves their phases, patrons propose into them
while they collect ideas and support while they collect or support."""
import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.proposals import services as proposals
from app.proposals.calls import Call, Phase
from app.proposals.models import Branch, Category, Proposal, Status, Support
from tests.calls.moments import (
    BEFORE,
    COLLECTING,
    ENDED,
    RESULTS,
    REVIEWING,
    SUPPORTING,
    phases,
)

IDEA = {"title": "Group rooms with whiteboards on floor 3",
        "problem": "Groups meet in the stairwell because there is nowhere to talk.",
        "suggestion": "Build four glass group rooms with whiteboards, bookable online."}


def _form(**fields) -> dict:
    values = {"title_en": "Ideas for floor 3", "title_zh": "", "description_en": "Tell us.",
              "branch_id": "None", "category_id": "None"}
    values |= {name: moment.strftime("%Y-%m-%dT%H:%M") for name, moment in phases().items()}
    return values | fields


def _idea_form(**fields) -> dict:
    first = db.session.scalar(select(Category.id).order_by(Category.id))
    branch = db.session.scalar(select(Branch.id).order_by(Branch.id))
    return IDEA | {"category_id": first, "branch_id": branch} | fields


def _phase_shown(page: str) -> str:
    return re.search(r'id="call-phase">([^<]+)<', page).group(1)


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_and_admins_open_a_call(client, login, make_user, role, expected):
    login(make_user(role=role))
    assert client.post("/calls/new", data=_form()).status_code == expected
    assert db.session.query(Call).count() == (1 if expected == 303 else 0)


def test_a_visitor_is_sent_to_sign_in_and_opens_nothing(client):
    response = client.post("/calls/new", data=_form())
    assert response.status_code == 302 and "/auth/login" in response.location
    assert db.session.query(Call).count() == 0


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_and_admins_change_a_call(client, login, make_user, make_call, role, expected):
    call = make_call()
    login(make_user(role=role))
    assert client.get(f"/calls/{call.id}/edit").status_code == (403 if role == "patron" else 200)
    response = client.post(f"/calls/{call.id}/edit", data=_form(title_en="Floor 3, renamed"))
    assert response.status_code == expected
    db.session.refresh(call)
    assert (call.title_en == "Floor 3, renamed") == (expected == 303)


def test_opening_and_changing_a_call_are_in_the_audit_log(client, login, staff):
    login(staff)
    client.post("/calls/new", data=_form())
    call = db.session.scalars(select(Call)).one()
    client.post(f"/calls/{call.id}/edit", data=_form(title_zh="三楼征集"))
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.subject_type, e.subject_id, e.actor_id) for e in entries] == [
        ("create_call", "call", call.id, staff.id), ("edit_call", "call", call.id, staff.id)]
    assert entries[1].reason == "title_zh"


def test_dates_are_entered_and_shown_on_the_librarys_clock(client, login, staff, clock):
    login(staff)
    client.post("/calls/new", data=_form())
    call = db.session.scalars(select(Call)).one()
    assert call.collecting_starts_at.hour == 1  # 09:00 in Shanghai is 01:00 UTC
    clock(COLLECTING)
    page = client.get(f"/calls/{call.id}").text
    assert "2 Mar 2026, 09:00" in page and "Asia/Shanghai" in page
    assert 'value="2026-03-02T09:00"' in client.get(f"/calls/{call.id}/edit").text


@pytest.mark.parametrize("fields, field, message", [
    ({"title_en": ""}, "title_en", "Give the call a title"),
    ({"collecting_ends_at": "2026-03-01T09:00"}, "collecting_ends_at", "must end after it starts"),
    ({"supporting_starts_at": "2026-03-05T09:00"}, "supporting_starts_at",
     "cannot start before the one before it ends"),
    ({"results_ends_at": ""}, "results_ends_at", "Enter a date and time"),
])
def test_a_bad_call_is_refused_beside_its_field_and_keeps_what_was_typed(
        client, login, staff, fields, field, message):
    login(staff)
    response = client.post("/calls/new", data=_form(description_en="Keep me", **fields))
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]+)<', response.text)
    assert error and message in error.group(1)
    assert "Keep me" in response.text
    assert db.session.query(Call).count() == 0


@pytest.mark.parametrize("moment, phase, section", [
    (BEFORE, "Not open yet", "upcoming"), (COLLECTING, "Collecting ideas", "open"),
    (SUPPORTING, "Supporting", "open"), (REVIEWING, "Staff reviewing", "open"),
    (RESULTS, "Results", "past"), (ENDED, "Ended", "past"),
])
def test_the_clock_moves_the_phase(client, make_call, clock, moment, phase, section):
    call = make_call()
    clock(moment)
    assert _phase_shown(client.get(f"/calls/{call.id}").text) == phase
    listing = client.get("/calls").text
    sections = dict(re.findall(r'<section aria-labelledby="calls-(\w+)">(.*?)</section>',
                               listing, re.S))
    assert [name for name, body in sections.items() if call.title_en in body] == [section]


def test_a_visitors_kept_page_follows_the_clock(client, make_call, clock):
    """Visitors' page copies (app/pagecache.py) are exact: no write moves a phase."""
    call = make_call()
    clock(COLLECTING)
    assert _phase_shown(client.get(f"/calls/{call.id}").text) == "Collecting ideas"
    assert _phase_shown(client.get(f"/calls/{call.id}").text) == "Collecting ideas"
    clock(SUPPORTING)
    assert _phase_shown(client.get(f"/calls/{call.id}").text) == "Supporting"
    assert "Propose an idea" not in client.get(f"/calls/{call.id}").text


def test_a_patron_proposes_into_a_collecting_call(client, login, make_user, make_call, clock):
    call = make_call()
    clock(COLLECTING)
    login(make_user())
    form = client.get(f"/proposals/new?call={call.id}").text
    assert call.title_en in form and f'name="call_id" type="hidden" value="{call.id}"' in form
    response = client.post(f"/proposals/new?call={call.id}", data=_idea_form())
    assert response.status_code == 303
    proposal = db.session.scalars(select(Proposal)).one()
    assert proposal.call_id == call.id and proposal.state is Status.SUBMITTED  # moderated


def test_a_call_id_field_alone_also_proposes_into_the_call(client, login, make_user, make_call,
                                                           clock):
    call = make_call()
    clock(COLLECTING)
    login(make_user())
    assert client.post("/proposals/new", data=_idea_form(call_id=call.id)).status_code == 303
    assert db.session.scalars(select(Proposal.call_id)).one() == call.id


@pytest.mark.parametrize("moment, reason", [
    (BEFORE, "This call opens for ideas on 2 Mar 2026, 09:00"),
    (SUPPORTING, "This call stopped collecting ideas on 9 Mar 2026, 09:00"),
    (ENDED, "This call stopped collecting ideas on 9 Mar 2026, 09:00"),
])
def test_outside_collecting_a_call_refuses_proposals_with_the_reason(
        client, login, make_user, make_call, clock, moment, reason):
    call = make_call()
    clock(moment)
    login(make_user())
    assert reason in client.get(f"/proposals/new?call={call.id}").text  # said before typing
    response = client.post(f"/proposals/new?call={call.id}", data=_idea_form())
    assert response.status_code == 422
    alert = re.search(r'id="form-alert">(.*?)</div>', response.text, re.S).group(1)
    assert reason in alert
    assert IDEA["problem"] in response.text  # what was typed stays
    assert db.session.query(Proposal).count() == 0


def test_an_unknown_call_is_not_found(client, login, make_user):
    login(make_user())
    assert client.get("/proposals/new?call=999999").status_code == 404
    assert client.get("/calls/999999").status_code == 404


def _published_in(call, author, staff, title=IDEA["title"]):
    proposal = proposals.create(author=author, call=call, **_idea_form(title=title))
    from app.proposals import lifecycle
    lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=staff)
    db.session.commit()
    return proposal


@pytest.mark.parametrize("moment, takes", [(COLLECTING, True), (SUPPORTING, True),
                                           (REVIEWING, False), (RESULTS, False)])
def test_a_calls_proposal_takes_supports_while_it_collects_or_supports(
        client, login, make_user, make_call, staff, clock, moment, takes):
    call = make_call()
    clock(COLLECTING)
    proposal = _published_in(call, make_user(), staff)
    clock(moment)
    supporter = make_user()
    login(supporter)
    page = client.get(f"/proposals/{proposal.id}").text
    assert ('id="support-button-' in page) == takes
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"},
                           follow_redirects=True)
    assert db.session.query(Support).count() == (1 if takes else 0)
    if not takes:
        assert "The call this proposal was made in no longer takes supports" in response.text


def test_the_call_page_lists_its_own_proposals_with_the_lists_filters(
        client, make_user, make_call, make_proposal, staff, clock):
    call, other = make_call(), make_call(title_en="Another call")
    clock(COLLECTING)
    mine = _published_in(call, make_user(), staff)
    elsewhere = _published_in(other, make_user(), staff, title="Sockets at every seat, please")
    outside = make_proposal(title="An idea made outside any call")
    page = client.get(f"/calls/{call.id}").text
    assert mine.title in page and outside.title not in page
    assert client.get(f"/calls/{call.id}?q=nothing+like+this").text.count(mine.title) == 0
    assert f"/calls/{call.id}" in client.get(f"/proposals/{mine.id}").text
    listed = client.get(f"/proposals?call={other.id}").text
    assert elsewhere.title in listed and mine.title not in listed
    fragment = client.get(f"/calls/{call.id}?sort=newest", headers={"HX-Request": "true"})
    assert mine.title in fragment.text and "<html" not in fragment.text


def test_the_summary_shows_from_the_results_phase(client, make_call, clock):
    call = make_call(summary_en="Floors 4 and 5 become silent zones.")
    for moment, shown in ((REVIEWING, False), (RESULTS, True), (ENDED, True)):
        clock(moment)
        assert ("Floors 4 and 5 become silent zones." in client.get(f"/calls/{call.id}").text
                ) == shown


def test_a_call_reads_in_the_readers_language_or_the_other_one(client, make_call, clock):
    call = make_call(title_en="", title_zh="三楼征集")
    clock(COLLECTING)
    assert "三楼征集" in client.get(f"/calls/{call.id}").text
    both = make_call()
    chinese = client.get(f"/calls/{both.id}", headers={"Accept-Language": "zh-CN"}).text
    assert "新学习共享空间征集" in chinese and "征集意见" in chinese


def test_phases_are_worked_out_from_the_clock(make_call):
    call = make_call()
    assert [call.phase(m) for m in (BEFORE, COLLECTING, SUPPORTING, REVIEWING, RESULTS, ENDED)
            ] == [Phase.UPCOMING, Phase.COLLECTING, Phase.SUPPORTING, Phase.REVIEWING,
                  Phase.RESULTS, Phase.ENDED]
    assert call.next_change(COLLECTING) == call.collecting_ends_at


def test_the_atom_feed_announces_new_calls(client, make_call, clock):
    call = make_call(title_en="Quiet zones", description_en="Where should it be *silent*?")
    clock(COLLECTING)
    feed = client.get("/feeds/calls.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert b"<title>Quiet zones</title>" in feed.data
    assert f"/calls/{call.id}".encode() in feed.data
    assert b"Collecting ideas: 2 Mar 2026, 09:00" in feed.data
    assert b'href="/feeds/calls.atom"' in client.get("/calls").data


def test_opening_and_changing_announce_one_event_each(app, staff):
    from app import events
    from app.calls import services as calls

    heard = []
    created = lambda call, **kw: heard.append(("created", call.id, kw))  # noqa: E731
    changed = lambda call, **kw: heard.append(("changed", call.id, kw))  # noqa: E731
    events.call_created.connect(created)
    events.call_changed.connect(changed)
    try:
        call = calls.create(by=staff, title_en="Floor 3", **phases())
        calls.edit(call, by=staff, title_en="Floor 3", **phases())  # nothing changed
        calls.edit(call, by=staff, title_en="Floor 3, again", **phases())
    finally:
        events.call_created.disconnect(created)
        events.call_changed.disconnect(changed)
    assert heard == [("created", call.id, {"by": staff}),
                     ("changed", call.id, {"by": staff, "changed": ["title_en"]})]
