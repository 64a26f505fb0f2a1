"""Signed, expiring links for e-mail: password reset (single use) and address verification."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User
from app.extensions import db

RESET_MAX_AGE = 60 * 60  # one hour
VERIFY_MAX_AGE = 7 * 24 * 60 * 60  # a week


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"commons-{purpose}")


def reset_token(user: User) -> str:
    # The session nonce rotates when the password changes, so a used link stops working.
    return _serializer("reset").dumps({"id": user.id, "nonce": user.session_nonce})


def user_for_reset(token: str) -> User | None:
    data = _load("reset", token, RESET_MAX_AGE)
    user = db.session.get(User, data["id"]) if data else None
    valid = user and user.session_nonce == data.get("nonce") and not user.deleted_at
    return user if valid else None


def verify_token(user: User) -> str:
    return _serializer("verify").dumps({"id": user.id, "email": user.email})


def user_for_verification(token: str) -> User | None:
    data = _load("verify", token, VERIFY_MAX_AGE)
    user = db.session.get(User, data["id"]) if data else None
    return user if user and user.email == data.get("email") else None


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token[:1000], max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("id"), int) else None
