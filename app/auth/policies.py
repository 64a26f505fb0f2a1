"""The roles every feature's policies are built from: signed in, library staff, system owner.

A visitor is Flask-Login's anonymous user (or None outside a request): never staff."""


def is_signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def is_staff(user) -> bool:
    return is_signed_in(user) and user.is_staff


def is_admin(user) -> bool:
    return is_signed_in(user) and user.is_admin
