"""Who may download the exports: library staff (they hold patrons' names and addresses)."""
from app.auth.policies import is_staff


def can_export(user, obj=None) -> bool:
    return is_staff(user)
