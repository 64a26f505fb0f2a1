"""Who may do what with calls for ideas: library staff (and admins) open and change them;
everyone reads them, and patrons propose into them while they collect ideas (the proposals'
own rules say when)."""
from app.auth.policies import is_staff
from app.proposals.calls import Call


def can_manage(user, call: Call | None = None) -> bool:
    return is_staff(user)
