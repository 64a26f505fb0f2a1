"""The list page picks its rows status by status (see queries._page_ids): the same rows, in the
same order, as one query over every public status would give."""
import random
from datetime import timedelta

import pytest

from app.extensions import db
from app.proposals import queries
from app.proposals.models import Proposal, Status
from app.timeutil import utcnow


@pytest.fixture
def crowd(make_user, make_proposal):
    rng = random.Random(7)
    author = make_user()
    statuses = [Status.OPEN, Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED,
                Status.COMPLETED, Status.MERGED, Status.SUBMITTED, Status.WITHDRAWN]
    now = utcnow()
    for n in range(45):
        proposal = make_proposal(author, status=rng.choice(statuses),
                                 title=f"Idea {n} {'quiet seats' if n % 3 else 'printing'}")
        proposal.support_count = rng.choice([0, 1, 1, 2, 5, 5, 9])  # ties on purpose
        proposal.trending_score = float(rng.choice([1, 2, 2, 3]))
        proposal.created_at = now - timedelta(days=rng.randint(0, 5))  # ties too
        proposal.last_activity_at = now - timedelta(hours=rng.randint(0, 3))
        proposal.hidden_at = now if n == 4 else None
    db.session.commit()


@pytest.mark.parametrize("sort", list(queries.SORTS))
@pytest.mark.parametrize("extra", [{}, {"status": "open"}, {"q": "quiet"}, {"category": "spaces"}])
def test_each_page_matches_one_ordered_query(crowd, sort, extra):
    for page in (1, 2, 3, 4):
        filters = queries.Filters(sort=sort, page=page, **extra)
        expected = [p.id for p in db.session.scalars(
            queries.listing_statement(filters).limit(6).offset((page - 1) * 5)).unique()]
        shown = queries.page_of(filters, None, per_page=5)
        assert [p.id for p in shown.items] == expected[:5]
        assert shown.has_next == (len(expected) > 5)


def test_hidden_and_unpublished_proposals_stay_off_the_list(crowd):
    shown = queries.page_of(queries.Filters(), None, per_page=100).items
    assert shown and all(p.is_public for p in shown)
    assert len(shown) == db.session.query(Proposal).filter(
        Proposal.status.in_([s.value for s in queries.PUBLIC_STATUSES]),
        Proposal.hidden_at.is_(None)).count()


def test_pages_stop_at_the_last_one_offered(app, make_proposal, client, monkeypatch):
    monkeypatch.setattr(queries, "MAX_PAGE", 2)
    monkeypatch.setitem(app.config, "PROPOSALS_PER_PAGE", 3)
    for n in range(7):
        make_proposal(title=f"Idea number {n} for the library")
    filters = queries.Filters.from_args({"page": "9"})
    assert filters.page == 2
    last = queries.page_of(filters, None, per_page=3)
    assert len(last.items) == 3 and not last.has_next and last.more_than_shown
    page = client.get("/proposals?page=9&sort=newest").text
    assert "Only the first 2 pages are listed" in page and 'rel="next"' not in page
    assert "Only the first" not in client.get("/proposals?sort=newest").text
