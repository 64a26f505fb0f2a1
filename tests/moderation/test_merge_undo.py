"""Issue 21, item 1 (its last part): staff undo a merge within a day, and exactly what the merge
moved comes back; after a day the undo is refused, saying why."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import timeutil
from app.audit import AuditEntry
from app.domain import Refused
from app.extensions import db
from app.media.models import MediaFile
from app.moderation import merges
from app.notifications.models import Notification
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Proposal, Status, Support
from tests.moderation.test_routes import post_status


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def supporters(proposal) -> dict[int, object]:
    return dict(db.session.execute(select(Support.user_id, Support.created_at)
                                   .where(Support.proposal_id == proposal.id)).all())


def photo(proposal, position: int, alt: str) -> MediaFile:
    row = MediaFile(owner_id=proposal.author_id, proposal_id=proposal.id, key=f"k-{alt}",
                    content_type="image/webp", byte_size=10, alt_text=alt, position=position)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def merged(make_user, make_proposal, staff):
    """A proposal under review merged into another: one patron supported both, one only the
    source, one only the target; the source had two photos, the target one."""
    source = make_proposal(status=Status.UNDER_REVIEW, title="Sockets at the east desks")
    target = make_proposal(title="More power sockets in the reading room")
    both, only_source, only_target = make_user(), make_user(), make_user()
    for patron in (both, only_source):
        proposals.support(source, patron)
    for patron in (both, only_target):
        proposals.support(target, patron)
    target_photo = photo(target, 0, "target")
    source_photos = [photo(source, 0, "first"), photo(source, 1, "second")]
    db.session.commit()
    before = {"source": supporters(source), "target": supporters(target),
              "decided_at": source.decided_at, "first_answer_at": source.first_answer_at}
    carried = lifecycle.merge(source, target, by=staff, note="The same idea.")
    db.session.commit()
    assert carried == 1 and target.support_count == 3
    return {"source": source, "target": target, "before": before, "both": both,
            "only_source": only_source, "only_target": only_target,
            "target_photo": target_photo, "source_photos": source_photos}


def test_an_undo_puts_back_exactly_what_the_merge_moved(merged, staff):
    source, target, before = merged["source"], merged["target"], merged["before"]
    assert merges.undo(source, by=staff) is target
    db.session.commit()
    assert supporters(source) == before["source"]  # the same patrons, given when they were
    assert supporters(target) == before["target"]  # the patron who supported both keeps it
    assert (source.support_count, target.support_count) == (2, 2)
    assert source.status == Status.UNDER_REVIEW.value and source.merged_into_id is None
    assert (source.decided_at, source.first_answer_at) == (before["decided_at"],
                                                           before["first_answer_at"])
    assert [(p.id, p.position) for p in db.session.scalars(select(MediaFile).where(
        MediaFile.proposal_id == source.id).order_by(MediaFile.position))] == [
        (p.id, n) for n, p in enumerate(merged["source_photos"])]
    assert [p.id for p in db.session.scalars(select(MediaFile).where(
        MediaFile.proposal_id == target.id))] == [merged["target_photo"].id]


def test_a_carried_support_withdrawn_meanwhile_still_returns_to_the_source(merged, staff):
    source, target = merged["source"], merged["target"]
    proposals.withdraw_support(target, merged["only_source"])
    db.session.commit()
    merges.undo(source, by=staff)
    db.session.commit()
    assert supporters(source) == merged["before"]["source"]
    assert set(supporters(target)) == {merged["both"].id, merged["only_target"].id}


def test_the_followers_are_told_once_and_the_undo_is_audited(merged, staff):
    source = merged["source"]
    merges.undo(source, by=staff)
    db.session.commit()
    told = list(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "merge_undone")))
    assert sorted(told) == sorted([source.author_id, merged["both"].id,
                                   merged["only_source"].id])
    assert merged["only_target"].id not in told
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "undo_merge")).one()
    assert (entry.actor_id, entry.subject_id) == (staff.id, source.id)


def test_after_a_day_the_undo_is_refused_saying_why(merged, staff, monkeypatch):
    source = merged["source"]
    later = utc_after(source, timedelta(days=1, seconds=1))
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    with pytest.raises(Refused, match="A merge can be undone for a day only"):
        merges.undo(source, by=staff)


def test_a_merge_undone_cannot_be_undone_again(merged, staff):
    source = merged["source"]
    merges.undo(source, by=staff)
    db.session.commit()
    with pytest.raises(Refused, match="nothing to undo"):
        merges.undo(source, by=staff)


def utc_after(source: Proposal, span: timedelta):
    return merges.last_merge(source).merged_at + span


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_undo_a_merge(client, login, make_user, merged, role, expected):
    login(make_user(role=role))
    response = client.post(f"/proposals/{merged['source'].id}/merge/undo")
    assert response.status_code == expected
    undone = db.session.get(Proposal, merged["source"].id).status != Status.MERGED.value
    assert undone is (expected == 303)


def test_staff_undo_from_the_merged_proposals_page_without_javascript(client, login, merged,
                                                                       staff):
    source = merged["source"]
    login(staff)
    page = client.get(f"/proposals/{source.id}").text
    assert "Undo the merge" in page and "you can undo it" in page
    response = client.post(f"/proposals/{source.id}/merge/undo")
    assert response.status_code == 303 and response.location.endswith(f"/proposals/{source.id}")
    page = client.get(response.location).text
    assert ("The merge into “More power sockets in the reading room” is undone; "
            "2 supports are back.") in page
    assert "This proposal was merged into" not in page and "Undo the merge" not in page
    timeline = page[page.index('id="timeline-heading"'):]
    assert "the merge was undone" in timeline


def test_patrons_see_no_undo_on_a_merged_proposal(client, login, make_user, merged):
    login(merged["only_source"])
    page = client.get(f"/proposals/{merged['source'].id}").text
    assert "This proposal was merged into" in page and "Undo the merge" not in page


def test_with_htmx_the_undo_leads_to_the_page_and_a_refusal_is_swapped_in(
        client, login, merged, staff, monkeypatch):
    source = merged["source"]
    login(staff)
    now, later = timeutil.utcnow, utc_after(source, timedelta(days=2))
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    assert "Undo the merge" not in client.get(f"/proposals/{source.id}").text  # too late
    refused = client.post(f"/proposals/{source.id}/merge/undo", headers={"HX-Request": "true"})
    assert refused.status_code == 200  # htmx swaps only a 2xx answer
    assert "A merge can be undone for a day only" in refused.text
    assert db.session.get(Proposal, source.id).status == Status.MERGED.value
    plain = client.post(f"/proposals/{source.id}/merge/undo")
    assert plain.status_code == 422 and "A merge can be undone for a day only" in plain.text
    monkeypatch.setattr(timeutil, "utcnow", now)
    done = client.post(f"/proposals/{source.id}/merge/undo", headers={"HX-Request": "true"})
    assert done.status_code == 303
    assert db.session.get(Proposal, source.id).status == Status.UNDER_REVIEW.value


def test_after_merging_through_the_form_its_page_offers_the_undo(client, login, make_user,
                                                        make_proposal, staff):
    source, target = make_proposal(), make_proposal()
    proposals.support(source, make_user())
    db.session.commit()
    login(staff)
    post_status(client, source, "merge", note="Same idea.", target=str(target.id))
    page = client.get(f"/proposals/{source.id}").text
    assert f'action="/proposals/{source.id}/merge/undo"' in page


def test_in_the_queue_the_item_just_merged_offers_the_undo_and_comes_back(
        client, login, make_user, make_proposal, staff):
    source = make_proposal(status=Status.SUBMITTED, title="Lockers for laptops")
    target = make_proposal(title="Laptop lockers on every floor")
    login(staff)
    merged = post_status(client, source, "merge", note="Same idea.", target=str(target.id),
                         htmx=True, back="/staff/moderation")
    assert f'id="item-{source.id}"' in merged.text and "Undo the merge" in merged.text
    assert f'data-hx-target="#item-{source.id}"' in merged.text
    undone = client.post(f"/proposals/{source.id}/merge/undo", headers={"HX-Request": "true"},
                         data={"back": "/staff/moderation"})
    assert undone.status_code == 200 and "<html" not in undone.text
    assert f'id="item-{source.id}"' in undone.text and "Undo the merge" not in undone.text
    assert "The merge into “Laptop lockers on every floor” is undone; 0 supports are back." \
        in undone.text  # the flash, swapped out of band
    assert db.session.get(Proposal, source.id).status == Status.SUBMITTED.value
    again = client.post(f"/proposals/{source.id}/merge/undo", data={"back": "/staff/moderation"})
    assert again.status_code == 303 and again.location.endswith("/staff/moderation")
    assert "nothing to undo" in client.get(again.location).text


def test_a_supporter_reads_the_undo_once_in_the_notification_centre(client, login, merged,
                                                                    staff):
    merges.undo(merged["source"], by=staff)
    db.session.commit()
    login(merged["only_source"])
    page = client.get("/notifications").text
    sentence = ("“Sockets at the east desks” is no longer merged into “More power sockets in the "
                "reading room”: the merge was undone, and supports given to it count on it again.")
    assert page.count(sentence) == 1
