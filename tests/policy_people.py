"""People for the policy tests: a visitor and users of each role, built in memory (a policy reads
only the role and the id, so these tests need no database)."""
from datetime import datetime

from flask_login import AnonymousUserMixin

from app.auth.models import User
from app.projects.models import Project
from app.proposals.models import Comment, Proposal, Status

AUTHOR_ID = 1
ROLES = ["visitor", "patron", "author", "staff", "admin"]


def person(role: str):
    """`author` is a patron who wrote the proposal or comment of the test; `patron` did not."""
    if role == "visitor":
        return AnonymousUserMixin()
    ident = {"patron": 2, "author": AUTHOR_ID, "staff": 3, "admin": 4}[role]
    return User(id=ident, role="patron" if role == "author" else role)


def proposal(status: Status = Status.OPEN, *, hidden: bool = False) -> Proposal:
    return Proposal(id=10, author_id=AUTHOR_ID, status=status.value,
                    hidden_at=datetime(2026, 1, 1) if hidden else None)


def comment(*, hidden: bool = False) -> Comment:
    return Comment(id=20, proposal_id=10, author_id=AUTHOR_ID,
                   hidden_at=datetime(2026, 1, 1) if hidden else None)


def project(*, completed: bool = False) -> Project:
    return Project(id=30, proposal_id=10, completed_at=datetime(2026, 1, 1) if completed else None)


def allowed(roles: str) -> list[tuple[str, bool]]:
    """Each role, and whether it is among the space-separated `roles`."""
    return [(role, role in roles.split()) for role in ROLES]
