"""Without JavaScript, sending a new proposal first shows the similar ones: "Support this
instead" supports one, "Submit mine anyway" sends the held form with everything typed, the call
and the photos. With JavaScript the hint did that while the title was typed."""
import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db, limiter
from app.media.models import MediaFile
from app.proposals.models import Proposal, Status, Support
from tests.calls.moments import COLLECTING
from tests.conftest import count
from tests.media.conftest import image_bytes

MINE = {
    "title": "Power sockets next to every seat",
    "problem": "On floor 2 I cannot charge my laptop: the sockets are all by the walls.",
    "suggestion": "Put a power strip on each long table of the east reading room.",
    "category_id": "1",
    "branch_id": "1",
}


def held_form(html: str) -> dict:
    """The fields of the "Submit mine anyway" form, as the browser would send them back."""
    form = html[html.index('id="yours-heading"'):]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(value.replace("&#39;", "'").replace("&amp;", "&"))
    return fields


@pytest.fixture
def existing(make_proposal):
    return make_proposal(title="座位旁边需要更多插座")


def test_a_similar_proposal_is_shown_before_mine_is_sent(client, login, make_user, existing):
    login(make_user())
    response = client.post("/proposals/new", data=MINE)
    assert response.status_code == 200
    assert "Is your idea already here?" in response.text
    assert existing.title in response.text
    assert f'action="/proposals/{existing.id}/support"' in response.text
    assert "Support this instead" in response.text and "Submit mine anyway" in response.text
    assert count(Proposal) == 1  # nothing sent yet
    held = held_form(response.text)
    assert held["title"] == [MINE["title"]] and held["problem"] == [MINE["problem"]]
    assert held["similar_seen"] == [str(existing.id)]


def test_support_this_instead_supports_it_and_sends_nothing(client, login, make_user, existing):
    patron = make_user()
    login(patron)
    step = client.post("/proposals/new", data=MINE)
    form = step.text[step.text.index(f'action="/proposals/{existing.id}/support"'):]
    want = re.search(r'name="want" value="(\w+)"', form).group(1)
    response = client.post(f"/proposals/{existing.id}/support", data={"want": want})
    assert response.status_code == 303
    assert response.location.endswith(f"/proposals/{existing.id}")
    assert db.session.scalar(select(Support).where(Support.user_id == patron.id)).proposal_id \
        == existing.id
    assert count(Proposal) == 1


def test_submit_mine_anyway_sends_everything_typed(client, login, make_user, existing):
    patron = make_user()
    login(patron)
    step = client.post("/proposals/new", data=MINE | {"hide_name": "y"})
    response = client.post("/proposals/new", data=held_form(step.text))
    assert response.status_code == 303
    mine = db.session.scalar(select(Proposal).where(Proposal.author_id == patron.id))
    assert (mine.title, mine.problem, mine.suggestion) == (MINE["title"], MINE["problem"],
                                                            MINE["suggestion"])
    assert mine.hide_name and mine.category_id == 1 and mine.branch_id == 1
    assert mine.status == Status.SUBMITTED.value


def test_submit_mine_anyway_keeps_the_call_and_the_photos(client, login, make_user, existing,
                                                          make_call, clock):
    clock(COLLECTING)
    call = make_call()
    patron = make_user()
    login(patron)
    step = client.post(f"/proposals/new?call={call.id}", content_type="multipart/form-data",
                       data=MINE | {"call_id": str(call.id),
                                    "category_id": str(call.category_id),
                                    "photos": [(io.BytesIO(image_bytes("JPEG")), "wall.jpg",
                                                "image/jpeg")],
                                    "photo_alt": ["The only socket, behind a shelf"]})
    assert step.status_code == 200 and "Submit mine anyway" in step.text
    assert "With 1 photo." in step.text
    held = held_form(step.text)
    photo = db.session.scalar(select(MediaFile))
    assert held["shown"] == held["keep"] == [str(photo.id)]
    assert held[f"alt-{photo.id}"] == ["The only socket, behind a shelf"]
    assert held["call_id"] == [str(call.id)]
    response = client.post(f"/proposals/new?call={call.id}", data=held)
    assert response.status_code == 303
    mine = db.session.scalar(select(Proposal).where(Proposal.author_id == patron.id))
    db.session.refresh(photo)
    assert mine.call_id == call.id and photo.proposal_id == mine.id
    assert photo.alt_text == "The only socket, behind a shelf"


def test_nothing_similar_sends_at_once(client, login, make_user, make_proposal):
    make_proposal(title="Longer opening hours at weekends")
    login(make_user())
    assert client.post("/proposals/new", data=MINE).status_code == 303


def test_with_javascript_the_hint_was_the_step(client, login, make_user, existing):
    """The hint showed the similar proposals while the title was typed; the script marks the
    form, and it is sent at once."""
    login(make_user())
    form = client.get("/proposals/new").text
    assert 'data-similar-hint="similar"' in form
    hint = client.get("/proposals/similar", query_string={"title": MINE["title"]},
                      headers={"HX-Request": "true"})
    assert existing.title in hint.text  # the other language, through the glossary
    response = client.post("/proposals/new", data=MINE | {"similar_hinted": "1"})
    assert response.status_code == 303


def test_a_refused_form_is_refused_before_the_step(client, login, make_user, existing):
    login(make_user())
    response = client.post("/proposals/new", data=MINE | {"problem": "short"})
    assert response.status_code == 422 and "Is your idea already here?" not in response.text


def test_the_step_does_not_count_against_the_limit(client, login, make_user, existing, app,
                                                   monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    for name in ("SIGN_IN_PER_ACCOUNT", "SIGN_IN_PER_ADDRESS", "UPLOADS"):
        monkeypatch.setitem(app.config, f"RATELIMIT_{name}", "1000 per hour")
    monkeypatch.setitem(app.config, "RATELIMIT_PROPOSALS", "1 per hour")
    limiter.reset()
    login(make_user())
    for _ in range(3):
        step = client.post("/proposals/new", data=MINE)
        assert step.status_code == 200
    assert client.post("/proposals/new", data=held_form(step.text)).status_code == 303
    assert client.post("/proposals/new", data=held_form(step.text)).status_code == 429
    limiter.reset()


def test_the_step_in_chinese(client, login, make_user, existing):
    login(make_user())
    response = client.post("/proposals/new", data=MINE, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    assert "改为支持这条" in response.text and "仍然提交我的" in response.text
