from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.policies import is_admin, is_staff


def permitted(can: Callable[..., bool]):
    """Signed in (else off to sign in) and allowed by a feature's policy, asked about the role
    alone (else 403): `@permitted(policies.can_moderate)`. Whether this object may be changed
    now is the view's or the service's to say."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not can(current_user):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def staff_required(view):
    """Signed in (else off to sign in) and library staff (else 403)."""
    return permitted(is_staff)(view)


def admin_required(view):
    """Signed in (else off to sign in) and a system owner (else 403)."""
    return permitted(is_admin)(view)
