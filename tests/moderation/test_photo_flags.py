"""Flags on photos: a patron flags a photo on a proposal, a project update or an outcome with the
rules of flagging a proposal (one flag per patron, never one's own, the threshold that hides it
until staff look, the rate limit); staff see it in the queue and hide that one photo, never what
carries it, or dismiss the flags; every decision audited."""
import secrets

import pytest

from app import settings
from app.audit import AuditEntry
from app.extensions import db
from app.media.models import IMAGE, MediaFile
from app.moderation.models import Flag, Resolution
from app.projects.models import ProjectUpdate
from app.proposals.models import Status
from tests.conftest import count
from tests.proposals.test_routes import statements_for
from tests.test_rate_limits import assert_friendly_429, limits_on  # noqa: F401 - a fixture

ALT = "A broken reading lamp on floor 3"


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Li")


def make_photo(owner, alt=ALT, **carrier) -> MediaFile:
    """A photo row as an accepted form leaves it (the page tests read no file)."""
    photo = MediaFile(owner_id=owner.id, kind=IMAGE, key=secrets.token_hex(16),
                      thumb_key=secrets.token_hex(16), content_type="image/webp", byte_size=100,
                      width=640, height=480, thumb_width=160, thumb_height=120, alt_text=alt,
                      **carrier)
    db.session.add(photo)
    db.session.commit()
    return photo


@pytest.fixture
def on_proposal(make_user, make_proposal):
    author = make_user(name="Author Zhao")
    proposal = make_proposal(author)
    return proposal, make_photo(author, proposal_id=proposal.id)


def flag(client, photo, reason="offensive", follow_redirects=False, **extra):
    return client.post(f"/photos/{photo.id}/flag", data={"reason": reason, **extra},
                       follow_redirects=follow_redirects)


def test_a_patron_flags_a_photo_once(client, login, make_user, on_proposal):
    proposal, photo = on_proposal
    login(make_user())
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'action="/photos/{photo.id}/flag"' in page and "Flag this photo" in page
    response = flag(client, photo, note="Shows a student's face",
                    back=f"/proposals/{proposal.id}#photos")
    assert response.status_code == 303
    assert response.location.endswith(f"/proposals/{proposal.id}#photos")
    again = client.post(f"/photos/{photo.id}/flag", data={"reason": "spam"},
                        follow_redirects=True)
    assert "already flagged" in again.text
    assert count(Flag) == 1
    only = db.session.query(Flag).one()
    assert only.media_file_id == photo.id and only.proposal_id is None
    assert only.note == "Shows a student's face"


def test_a_flag_needs_a_known_reason(client, login, make_user, on_proposal):
    _proposal, photo = on_proposal
    login(make_user())
    response = flag(client, photo, reason="ugly", follow_redirects=True)
    assert "Choose a reason" in response.text and count(Flag) == 0


def test_nobody_flags_their_own_photo(client, login, on_proposal):
    proposal, photo = on_proposal
    login(proposal.author)
    assert "Flag this photo" not in client.get(f"/proposals/{proposal.id}").text
    response = flag(client, photo, follow_redirects=True)
    assert "You cannot flag a photo you added yourself." in response.text
    assert count(Flag) == 0


def test_a_visitor_is_sent_to_sign_in(client, on_proposal):
    _proposal, photo = on_proposal
    assert "Flag this photo" not in client.get(f"/proposals/{_proposal.id}").text
    response = flag(client, photo)
    assert response.status_code in (302, 303) and "/auth/login" in response.location
    assert count(Flag) == 0


def test_a_photo_nobody_else_may_see_cannot_be_flagged(client, login, make_user,
                                                       make_proposal):
    author = make_user()
    submitted = make_proposal(author, status=Status.SUBMITTED)
    photo = make_photo(author, proposal_id=submitted.id)
    pending = make_photo(author)  # held for a form, on nothing yet
    login(make_user())
    assert flag(client, photo).status_code == 404
    assert flag(client, pending).status_code == 404
    assert count(Flag) == 0


def test_enough_flags_hide_the_photo_not_the_proposal(client, login, make_user, on_proposal):
    settings.put("flag_threshold", 2)
    db.session.commit()
    proposal, photo = on_proposal
    for _ in range(2):
        login(make_user())
        assert flag(client, photo).status_code == 303
        client.post("/auth/logout")
    db.session.refresh(photo)
    db.session.refresh(proposal)
    assert photo.hidden_at is not None and proposal.hidden_at is None
    page = client.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200 and proposal.title in page.text and ALT not in page.text
    assert client.get(f"/uploads/{photo.id}/thumb").status_code == 404
    login(proposal.author)  # its owner still sees it, as with a photo staff hid, and why
    page = client.get(f"/proposals/{proposal.id}").text
    assert ALT in page
    assert "hidden after patrons flagged it, until library staff have looked at it" in page


def test_one_flag_below_the_threshold_keeps_the_photo_shown(client, login, make_user,
                                                             on_proposal):
    settings.put("flag_threshold", 2)
    db.session.commit()
    proposal, photo = on_proposal
    login(make_user())
    flag(client, photo)
    client.post("/auth/logout")
    assert ALT in client.get(f"/proposals/{proposal.id}").text


def test_flagging_photos_is_rate_limited(client, login, make_user, make_proposal,
                                         limits_on):  # noqa: F811
    limits_on("FLAGS", "2 per hour")
    author = make_user()
    proposal = make_proposal(author)
    photos = [make_photo(author, proposal_id=proposal.id) for _ in range(3)]
    login(make_user())
    assert flag(client, photos[0]).status_code == 303
    assert flag(client, photos[1]).status_code == 303
    assert_friendly_429(flag(client, photos[2]))
    assert count(Flag) == 2


def test_staff_see_the_flagged_photo_in_the_queue(client, login, make_user, staff, on_proposal):
    proposal, photo = on_proposal
    for name in ("Reader Chen", "Reader Sun"):
        login(make_user(name=name))
        flag(client, photo, reason="personal")
        client.post("/auth/logout")
    login(staff)
    page = client.get("/staff/moderation").text
    assert (f'<img src="/uploads/{photo.id}/thumb" alt="{ALT}" width="160" height="120"'
            in page)
    assert "Flagged by 2 patrons" in page
    assert "Reader Chen" in page and "Reader Sun" in page
    assert f"#{proposal.id}" in page and proposal.title in page
    assert f'action="/staff/flags/photo/{photo.id}"' in page
    assert "Hide this photo" in page and "Dismiss the flags" in page


def test_staff_hide_the_photo_and_the_proposal_stays(client, login, make_user, staff,
                                                     on_proposal):
    proposal, photo = on_proposal
    login(make_user())
    flag(client, photo)
    client.post("/auth/logout")
    login(staff)
    response = client.post(f"/staff/flags/photo/{photo.id}",
                           data={"decision": "uphold", "note": "A face"})
    assert response.status_code == 303 and response.location.endswith("/staff/moderation#flagged")
    db.session.refresh(photo)
    db.session.refresh(proposal)
    assert photo.hidden_at is not None and proposal.hidden_at is None
    assert db.session.query(Flag).one().resolution == Resolution.UPHELD.value
    assert "hidden from the public by library staff" in client.get(
        f"/proposals/{proposal.id}").text
    entry = db.session.query(AuditEntry).filter_by(action="uphold_flags").one()
    assert (entry.subject_type, entry.subject_id, entry.actor_id) == ("photo", photo.id, staff.id)
    assert "Nothing is flagged." in client.get("/staff/moderation").text
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}").text
    assert proposal.title in page and ALT not in page


def test_staff_dismiss_the_flags_and_the_photo_is_back(client, login, make_user, staff,
                                                       on_proposal):
    settings.put("flag_threshold", 1)
    db.session.commit()
    proposal, photo = on_proposal
    login(make_user())
    flag(client, photo)
    client.post("/auth/logout")
    assert ALT not in client.get(f"/proposals/{proposal.id}").text  # hidden until staff look
    login(staff)
    client.post(f"/staff/flags/photo/{photo.id}", data={"decision": "dismiss"})
    db.session.refresh(photo)
    assert photo.hidden_at is None
    assert db.session.query(Flag).one().resolution == Resolution.DISMISSED.value
    assert db.session.query(AuditEntry).filter_by(action="dismiss_flags",
                                                  subject_type="photo").count() == 1
    client.post("/auth/logout")
    assert ALT in client.get(f"/proposals/{proposal.id}").text


@pytest.mark.parametrize("role", ["patron", "author", None])
def test_only_staff_decide_on_a_photo_flags(client, login, make_user, on_proposal, role):
    proposal, photo = on_proposal
    db.session.add(Flag(user_id=make_user().id, media_file_id=photo.id, reason="spam"))
    db.session.commit()
    if role:
        login(proposal.author if role == "author" else make_user())
    response = client.post(f"/staff/flags/photo/{photo.id}", data={"decision": "uphold"})
    assert response.status_code == (403 if role else 302)
    db.session.refresh(photo)
    assert photo.hidden_at is None and db.session.query(Flag).one().resolved_at is None


def test_an_admin_decides_too(client, login, make_user, on_proposal):
    _proposal, photo = on_proposal
    db.session.add(Flag(user_id=make_user().id, media_file_id=photo.id, reason="spam"))
    db.session.commit()
    login(make_user(role="admin"))
    assert client.post(f"/staff/flags/photo/{photo.id}",
                       data={"decision": "uphold"}).status_code == 303
    db.session.refresh(photo)
    assert photo.hidden_at is not None


@pytest.fixture
def update_photo(make_project, staff):
    project = make_project()
    update = ProjectUpdate(project_id=project.id, author_id=project.lead_id,
                           body="The new lamps are in.")
    db.session.add(update)
    db.session.commit()
    return project, make_photo(project.lead, alt="New lamps over the long table",
                               update_id=update.id)


def test_a_project_update_photo_is_flagged_and_hidden_by_staff(client, login, make_user, staff,
                                                               update_photo):
    project, photo = update_photo
    login(make_user())
    page = client.get(f"/projects/{project.id}").text
    assert "Flag this photo" in page and "Hide this photo" not in page
    response = flag(client, photo, back=f"/projects/{project.id}")
    assert response.location.endswith(f"/projects/{project.id}")
    assert client.post(f"/photos/{photo.id}/hide").status_code == 403
    client.post("/auth/logout")
    login(staff)
    queue = client.get("/staff/moderation").text
    assert "Photo in a project update of" in queue and f'href="/projects/{project.id}"' in queue
    page = client.get(f"/projects/{project.id}").text
    assert "Hide this photo" in page
    hidden = client.post(f"/photos/{photo.id}/hide", data={"back": f"/projects/{project.id}"})
    assert hidden.status_code == 303 and hidden.location.endswith(f"/projects/{project.id}")
    assert "hidden from the public by library staff" in client.get(f"/projects/{project.id}").text
    # hidden from its page, the photo's open flag is upheld with it: nothing waits in the queue
    assert db.session.query(Flag).one().resolution == Resolution.UPHELD.value
    assert "Nothing is flagged." in client.get("/staff/moderation").text
    assert db.session.query(AuditEntry).filter_by(action="uphold_flags",
                                                  subject_type="photo").count() == 1
    client.post("/auth/logout")
    page = client.get(f"/projects/{project.id}").text
    assert "The new lamps are in." in page and "New lamps over the long table" not in page
    assert client.get(f"/uploads/{photo.id}").status_code == 404


def test_an_outcome_photo_is_flagged_and_staff_show_it_again(client, login, make_user, staff,
                                                              make_outcome):
    outcome = make_outcome()
    photo = make_photo(staff, alt="The east room full on a Sunday", outcome_id=outcome.id)
    login(make_user())
    page = client.get("/outcomes").text
    assert "Flag this photo" in page and "Hide this photo" not in page
    response = flag(client, photo)  # no page to come back to: the outcome's place in the list
    assert response.location.endswith(f"/outcomes#outcome-{outcome.project_id}")
    client.post("/auth/logout")
    login(staff)
    assert "Photo in the outcome of" in client.get("/staff/moderation").text
    assert "Flag this photo" not in client.get("/outcomes").text  # staff's own photo
    client.post(f"/photos/{photo.id}/hide", data={"back": "/outcomes"})
    client.post(f"/photos/{photo.id}/hide", data={"back": "/outcomes", "hidden": "0"})
    db.session.refresh(photo)
    assert photo.hidden_at is None
    assert db.session.query(AuditEntry).filter_by(action="restore_photo").count() == 1
    client.post("/auth/logout")
    assert "The east room full on a Sunday" in client.get("/outcomes").text


def test_a_removed_photo_takes_its_flags_with_it(make_user, on_proposal):
    _proposal, photo = on_proposal
    db.session.add(Flag(user_id=make_user().id, media_file_id=photo.id, reason="spam"))
    db.session.commit()
    db.session.delete(photo)
    db.session.commit()
    assert count(Flag) == 0


def test_a_flag_is_about_exactly_one_thing(make_user, on_proposal):
    proposal, photo = on_proposal
    db.session.add(Flag(user_id=make_user().id, media_file_id=photo.id, proposal_id=proposal.id,
                        reason="spam"))
    with pytest.raises(Exception, match="(?i)check"):
        db.session.commit()
    db.session.rollback()
    db.session.add(Flag(user_id=make_user().id, reason="spam"))
    with pytest.raises(Exception, match="(?i)check"):
        db.session.commit()
    db.session.rollback()


def test_the_queue_reads_as_many_statements_for_one_flagged_photo_as_for_many(
        client, login, make_user, make_project, make_outcome, staff):
    def flagged_photos(n):
        for _ in range(n):
            project = make_project()
            update = ProjectUpdate(project_id=project.id, author_id=project.lead_id, body="Done.")
            db.session.add(update)
            db.session.commit()
            outcome = make_outcome()
            photos = [make_photo(project.lead, update_id=update.id),
                      make_photo(staff, outcome_id=outcome.id),
                      make_photo(make_user(), proposal_id=project.proposal_id)]
            for photo in photos:
                db.session.add(Flag(user_id=make_user().id, media_file_id=photo.id,
                                    reason="spam"))
        db.session.commit()

    login(staff)
    flagged_photos(1)
    few = statements_for(client, "/staff/moderation")
    flagged_photos(4)
    assert statements_for(client, "/staff/moderation") == few
    page = client.get("/staff/moderation").text
    assert "Flagged (15)" in page and page.count('alt="A broken reading lamp on floor 3"') == 15
