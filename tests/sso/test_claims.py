"""Reading what a provider released: the library's mapping table, and roles only from groups
the library configured."""
import json
from datetime import timedelta

import pytest

from app.auth.models import User
from app.extensions import db
from app.sso import claims
from app.sso import services as sso
from app.timeutil import utcnow


@pytest.mark.parametrize("released, expected", [
    ({"affiliation": ["member", "student"]}, "undergraduate"),
    ({"affiliation": "faculty"}, "faculty"),
    ({"affiliation": "alum,member"}, "alumnus"),  # a CAS server's comma-separated values
    ({"affiliation": ["member"]}, "other"),
    ({}, "other"),
])
def test_the_affiliation_maps_to_a_patron_type(app, released, expected):
    assert claims.patron_type(claims.read("oidc", "s", released)) == expected


def test_a_university_maps_its_own_attribute_and_values(app, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_AFFILIATION_CLAIM", "type")
    monkeypatch.setitem(app.config, "SSO_PATRON_TYPES",
                        json.dumps({"本科生": "undergraduate", "研究生": "postgraduate"}))
    assert claims.patron_type(claims.read("cas", "2025001", {"type": "研究生"})) == "postgraduate"


def test_an_address_the_provider_has_not_verified_is_not_used(app):
    identity = claims.read("oidc", "s", {"email": "x@univ.example.edu", "email_verified": False})
    assert identity.email is None


def test_a_role_comes_only_from_a_configured_group(app, monkeypatch):
    identity = claims.read("oidc", "s", {"groups": ["admins", "library-staff"]})
    assert claims.granted_role(identity) is None
    monkeypatch.setitem(app.config, "SSO_STAFF_GROUPS", "library-staff")
    assert claims.granted_role(identity) == ("staff", "library-staff")
    monkeypatch.setitem(app.config, "SSO_ADMIN_GROUPS", "admins, it")
    assert claims.granted_role(identity) == ("admin", "admins")


def test_a_sign_in_never_lowers_a_role_an_administrator_gave(app, monkeypatch):
    user = sso.sign_in(claims.read("oidc", "s", {"name": "Li Hua"}))
    user.role = "admin"
    monkeypatch.setitem(app.config, "SSO_STAFF_GROUPS", "library-staff")
    assert sso.sign_in(claims.read("oidc", "s", {"groups": ["library-staff"]})).role == "admin"


def test_a_suspended_campus_account_signs_in_to_read_only(sign_in_with_oidc, client):
    sign_in_with_oidc("lihua")
    user = db.session.scalar(db.select(User))
    user.suspended_until, user.suspension_reason = utcnow() + timedelta(days=3), "Spam."
    db.session.commit()
    client.post("/auth/logout")
    assert sign_in_with_oidc("lihua").status_code == 303
    assert client.get("/proposals").status_code == 200
    assert client.post("/proposals/new", data={"title": "x"}).status_code == 403
    assert client.get("/account/export").status_code == 200


def test_an_address_is_confirmed_only_when_the_provider_vouches_for_it(app):
    unsaid = sso.sign_in(claims.read("oidc", "a", {"email": "a@univ.example.edu"}))
    vouched = sso.sign_in(claims.read("oidc", "b", {"email": "b@univ.example.edu",
                                                    "email_verified": True}))
    directory = sso.sign_in(claims.read("cas", "c", {"mail": "c@univ.example.edu"}))
    assert unsaid.email == "a@univ.example.edu" and unsaid.email_verified_at is None
    assert vouched.email_verified_at is not None and directory.email_verified_at is not None


def test_a_sign_in_that_cannot_reach_the_provider_says_so(client, app, monkeypatch):
    from tests.sso.provider import free_port
    monkeypatch.setitem(app.config, "OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "commons")
    answer = client.get("/auth/sso/oidc")
    assert answer.status_code == 400 and "cannot be reached" in answer.text


def test_a_first_sign_in_that_meets_another_at_once_uses_its_account(sign_in_with_oidc,
                                                                     monkeypatch):
    """The other tab's sign-in commits between this one's look-up and its insert."""
    real_sign_in, real_find = sso.sign_in, sso.find
    raced = []

    def racing(identity):
        if raced:
            return real_sign_in(identity)
        raced.append(identity)
        real_sign_in(identity)
        db.session.commit()  # the other tab, first
        sso.find = lambda provider, subject: None  # this one looked before it committed
        try:
            return real_sign_in(identity)
        finally:
            sso.find = real_find

    monkeypatch.setattr(sso, "sign_in", racing)
    assert sign_in_with_oidc("zhaolei").status_code == 303  # no e-mail: no link to ask for
    assert raced and db.session.query(User).count() == 1
