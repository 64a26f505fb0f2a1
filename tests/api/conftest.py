"""A small library world with public and private things side by side, for the API, the feeds
and the exports: each test checks that only the public part comes out."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category, Status
from app.timeutil import utcnow

SECRET_NAME = "Zebulon Quietwater"
SECRET_EMAIL = "zebulon.quietwater@example.edu"


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang", email="wang.librarian@example.edu")


@pytest.fixture
def places(app):
    categories = db.session.scalars(select(Category).order_by(Category.id)).all()
    branches = db.session.scalars(select(Branch).order_by(Branch.id)).all()
    return categories, branches


@pytest.fixture
def world(make_user, make_proposal, make_outcome, staff, places):
    """Public: an open proposal, an anonymous one, an outcome. Private: the rest."""
    categories, branches = places
    shy = make_user(name=SECRET_NAME, email=SECRET_EMAIL, patron_type="postgraduate")
    named = make_user(name="Ada Reader", email="ada.reader@example.edu")
    anonymous = make_proposal(shy, title="座位不够 quiet seats wanted", hide_name=True,
                              category_id=categories[1].id, branch_id=branches[1].id)
    open_one = make_proposal(named, title="Longer opening hours at weekends")
    proposals.add_comment(open_one, author=staff, body="We are costing it.", official=True)
    proposals.add_comment(anonymous, author=shy, body="I wrote this myself.")
    completed = make_outcome(make_proposal(shy, status=Status.ACCEPTED, hide_name=True,
                                           title="Silent zone on the third floor"))
    hidden = make_proposal(named, title="Hidden after flags")
    hidden.hidden_at = utcnow()
    private = {status: make_proposal(named, status=status, title=f"Private {status.value}")
               for status in (Status.SUBMITTED, Status.REJECTED, Status.CHANGES_REQUESTED,
                              Status.WITHDRAWN)}
    hidden_outcome = make_outcome(make_proposal(named, status=Status.ACCEPTED,
                                                title="Outcome of a flagged proposal"))
    hidden_outcome.proposal.hidden_at = utcnow()
    db.session.commit()
    return {"anonymous": anonymous, "open": open_one, "outcome": completed, "hidden": hidden,
            "private": private, "hidden_outcome": hidden_outcome, "shy": shy, "staff": staff,
            "categories": categories, "branches": branches}


def every_email() -> list[bytes]:
    return [email.encode() for email in db.session.scalars(select(User.email))]


def publish_through_changes(proposal, staff, private_note: str, public_note: str) -> None:
    """Submitted, sent back with a private note, resubmitted, published with a public one."""
    lifecycle.transition(proposal, lifecycle.Action.REQUEST_CHANGES, by=staff, note=private_note)
    lifecycle.transition(proposal, lifecycle.Action.RESUBMIT, by=proposal.author)
    lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=staff, note=public_note)
    db.session.commit()
