"""Issue 21, item 1 (the part built): a refused merge is shown in the queue, with JavaScript
(the item swapped in place) and without (the queue again, the typed reason kept); the flash
says "1 support carried over" in the right number."""
import pytest

from app.extensions import db
from app.proposals import services
from app.proposals.models import Proposal, Status
from tests.moderation.test_routes import post_status


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


@pytest.mark.parametrize("supporters, words", [
    (1, "1 support carried over."), (2, "2 supports carried over."),
])
def test_the_merge_message_counts_in_the_right_number(client, login, make_user, make_proposal,
                                                      staff, supporters, words):
    source, target = make_proposal(), make_proposal(title="More bookable group study rooms")
    for _n in range(supporters):
        services.support(source, make_user())
    db.session.commit()
    login(staff)
    page = post_status(client, source, "merge", note="Same idea.", target=str(target.id),
                       follow_redirects=True).text
    assert f"Merged into “More bookable group study rooms”; {words}" in page


def test_a_refused_merge_with_htmx_comes_back_in_its_queue_item(client, login, make_proposal,
                                                                staff):
    source = make_proposal(status=Status.SUBMITTED)  # new proposals wait in the queue
    login(staff)
    response = post_status(client, source, "merge", note="Looks like the same idea.",
                           target="999", htmx=True, back="/staff/moderation")
    assert response.status_code == 200  # htmx swaps it
    html = response.text
    assert f'id="item-{source.id}"' in html and "<html" not in html
    assert "There is no proposal with that number." in html
    assert f'id="refused-merge-{source.id}"' in html and "<details open>" in html
    assert 'value="999"' in html and "Looks like the same idea.</textarea>" in html
    assert db.session.get(Proposal, source.id).status == Status.SUBMITTED.value


def test_a_refused_merge_without_javascript_shows_the_queue_with_the_reason_kept(
        client, login, make_proposal, staff):
    source = make_proposal(status=Status.SUBMITTED)
    declined = make_proposal(status=Status.DECLINED)
    login(staff)
    response = post_status(client, source, "merge", note="The same request as the other one.",
                           target=str(declined.id), back="/staff/moderation")
    assert response.status_code == 422
    html = response.text
    assert "<h1>" in html and "Moderation" in html  # the queue, not the proposal page
    item = html[html.index(f'id="item-{source.id}"'):]
    assert "Choose a different, published proposal to merge into." in item
    assert f'value="{declined.id}"' in item
    assert "The same request as the other one.</textarea>" in item
    assert 'aria-invalid="true"' in item


def test_a_refusal_from_the_proposal_page_stays_on_it(client, login, make_proposal, staff):
    source = make_proposal()
    login(staff)
    response = post_status(client, source, "merge", note="dup", target="999")
    assert response.status_code == 422
    assert 'id="comments"' in response.text  # the proposal page


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 200), ("admin", 200)])
def test_only_staff_search_for_a_merge_target(client, login, make_user, make_proposal, role,
                                              expected):
    source = make_proposal(status=Status.SUBMITTED)
    login(make_user(role=role))
    assert client.get(f"/proposals/{source.id}/merge?q=seats").status_code == expected


def test_staff_find_the_target_by_title_see_it_and_confirm(client, login, make_user,
                                                         make_proposal, staff):
    source = make_proposal(status=Status.SUBMITTED, title="Alumni cards should open the gates")
    target = make_proposal(title="More bookable group study rooms")
    declined = make_proposal(title="Bookable rooms at night", status=Status.DECLINED)
    for _n in range(3):
        services.support(target, make_user())
    db.session.commit()
    login(staff)
    page = client.get(f"/proposals/{source.id}/merge?q=bookable+rooms&back=/staff/moderation")
    assert page.status_code == 200
    assert f"#{target.id} More bookable group study rooms" in page.text
    assert "Open for support" in page.text and "3 supporters" in page.text
    assert f"#{declined.id} Bookable rooms at night" not in page.text  # cannot take a merge
    partial = client.get(f"/proposals/{source.id}/merge?q=bookable", headers={"HX-Request": "true"})
    assert f'id="candidate-{target.id}"' in partial.text and "<html" not in partial.text
    by_number = client.get(f"/proposals/{source.id}/merge?q=%23{target.id}").text
    assert f'id="candidate-{target.id}"' in by_number
    assert "No published proposal matches" in client.get(
        f"/proposals/{source.id}/merge?q=xyzzy").text
    response = post_status(client, source, "merge", note="The same request.",
                           target=str(target.id), back="/staff/moderation")
    assert response.status_code == 303 and response.location.endswith("/staff/moderation")
    assert db.session.get(Proposal, source.id).status == Status.MERGED.value
