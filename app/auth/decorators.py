from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def staff_required(view):
    """Signed in (else off to sign in) and library staff (else 403)."""
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)
    return guarded


def admin_required(view):
    """Signed in (else off to sign in) and a system owner (else 403)."""
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return guarded
