"""Who may do what with accounts and the library's settings: library staff look after patrons'
accounts; system owners change roles, settings, categories and branches and read the audit log.
Asked by the routes about the role alone (`account` left out), by services and templates about
this account."""
from app.auth.models import User
from app.auth.policies import is_admin, is_staff


def can_manage_accounts(user, account: User | None = None) -> bool:
    return is_staff(user)


def can_change_role(user, account: User | None = None) -> bool:
    """A system owner changes others' roles, never their own (there is always one owner left)."""
    return is_admin(user) and (account is None or account.id != user.id)


def can_suspend(user, account: User | None = None) -> bool:
    """Staff suspend patrons; only a system owner suspends staff; nobody suspends themselves."""
    if not is_staff(user):
        return False
    return account is None or (account.id != user.id and (not account.is_staff or user.is_admin))


def can_lift_suspension(user, account: User | None = None) -> bool:
    return is_staff(user)


def can_configure(user, obj=None) -> bool:
    """Settings, categories and branches, and the audit log are the system owners'."""
    return is_admin(user)
