import re
from datetime import date, timedelta

import pytest

from app import settings
from app.audit import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.proposals.models import Category
from app.timeutil import utcnow


@pytest.mark.parametrize("role, users, admin_pages", [
    ("patron", 403, 403), ("staff", 200, 403), ("admin", 200, 200)])
def test_role_boundaries(client, login, make_user, role, users, admin_pages):
    login(make_user(role=role))
    assert client.get("/admin/users").status_code == users
    for url in ("/admin/settings", "/admin/places", "/admin/audit"):
        assert client.get(url).status_code == admin_pages


def test_admin_changes_a_role_and_it_is_audited(client, login, make_user):
    admin, patron = make_user(role="admin"), make_user()
    login(admin)
    listing = client.get("/admin/users")
    assert listing.status_code == 200 and f'id="role-{patron.id}"' in listing.text
    client.post(f"/admin/users/{patron.id}/role", data={"role": "staff"})
    assert db.session.get(User, patron.id).role == "staff"
    assert db.session.query(AuditEntry).filter_by(action="role:staff").count() == 1
    page = client.post(f"/admin/users/{admin.id}/role", data={"role": "patron"},
                       follow_redirects=True)
    assert "cannot change your own role" in page.text


def test_staff_cannot_change_roles(client, login, make_user):
    patron = make_user()
    login(make_user(role="staff"))
    assert client.post(f"/admin/users/{patron.id}/role", data={"role": "admin"}).status_code == 403
    assert db.session.get(User, patron.id).role == "patron"


def test_suspended_patron_reads_but_cannot_write(client, login, make_user, make_proposal):
    proposal, patron = make_proposal(), make_user()
    login(make_user(role="staff"))
    until = (date.today() + timedelta(days=7)).isoformat()
    client.post(f"/admin/users/{patron.id}/suspend", data={"until": until, "reason": "Spam"})
    client.post("/auth/logout")
    login(patron)
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    refused = client.post(f"/proposals/{proposal.id}/support")
    assert refused.status_code == 403 and "suspended" in refused.text and "Spam" in refused.text
    assert client.post("/auth/logout").status_code == 303


def test_suspension_needs_a_future_date_and_a_reason(client, login, make_user):
    patron = make_user()
    login(make_user(role="staff"))
    past = (date.today() - timedelta(days=1)).isoformat()
    page = client.post(f"/admin/users/{patron.id}/suspend", data={"until": past, "reason": "x"},
                       follow_redirects=True)
    assert "future" in page.text and db.session.get(User, patron.id).suspended_until is None


def test_staff_cannot_suspend_staff(client, login, make_user):
    other = make_user(role="staff")
    login(make_user(role="staff"))
    until = (date.today() + timedelta(days=3)).isoformat()
    client.post(f"/admin/users/{other.id}/suspend", data={"until": until, "reason": "no"})
    assert not db.session.get(User, other.id).is_suspended(utcnow())


def test_settings_are_bounded_and_take_effect(client, login, make_user):
    login(make_user(role="admin"))
    bad = client.post("/admin/settings", data={"response_threshold": "0", "response_days": "14",
                                               "flag_threshold": "3"})
    assert bad.status_code == 422 and "from 1 to" in bad.text
    client.post("/admin/settings", data={"response_threshold": "5", "response_days": "7",
                                         "flag_threshold": "2"})
    db.session.expire_all()
    from flask import g
    g.pop("_settings", None)
    assert settings.get("response_threshold") == 5 and settings.get("response_days") == 7


def test_admin_adds_a_category_in_both_languages(client, login, make_user):
    login(make_user(role="admin"))
    response = client.post("/admin/places", data={"kind": "category", "slug": "events",
                                                   "name_en": "Events", "name_zh": "活动"})
    assert response.status_code == 303
    assert db.session.query(Category).filter_by(slug="events").one().name_zh == "活动"
    taken = client.post("/admin/places", data={"kind": "category", "slug": "events",
                                               "name_en": "Again", "name_zh": "再"})
    assert taken.status_code == 422 and "taken" in taken.text
    bad = client.post("/admin/places", data={"kind": "category", "slug": "Bad Slug!",
                                             "name_en": "x", "name_zh": "y"})
    assert bad.status_code == 422


def test_audit_log_lists_staff_actions(client, login, make_user, make_proposal):
    admin = make_user(role="admin", name="Root Admin")
    proposal = make_proposal(status="submitted")
    login(admin)
    client.post(f"/proposals/{proposal.id}/status", data={"action": "publish"})
    page = client.get("/admin/audit").text
    assert "publish" in page and "Root Admin" in page


def test_the_accounts_list_pages_with_its_number_and_links(client, login, make_user):
    login(make_user(role="admin"))
    for _ in range(50):  # with the admin, 51 accounts: a second page of one
        make_user()
    first = client.get("/admin/users").text
    assert "Page 1" in first and 'rel="next" href="/admin/users?page=2"' in first
    assert 'rel="prev"' not in first
    second = client.get("/admin/users?page=2").text
    assert "Page 2" in second and 'rel="prev" href="/admin/users?page=1"' in second
    assert 'rel="next"' not in second
    make_user(name="Only One")
    alone = client.get("/admin/users?q=Only+One").text
    assert 'class="pager"' not in alone  # one page: no pager at all


def test_roles_read_as_words_where_they_cannot_be_changed(client, login, make_user):
    """The administrator's own row, and every row a member of staff sees, name the role."""
    admin = make_user(role="admin", name="Root Admin")
    login(admin)
    page = client.get("/admin/users", headers={"Accept-Language": "zh-CN"}).text
    own_row = page[page.index('<th scope="row">Root Admin</th>'):].split("</tr>")[0]
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", own_row, re.S)]
    assert cells[2] == "管理员"  # e-mail, patron type, role
    client.post("/auth/logout")
    login(make_user(role="staff"))
    english = client.get("/admin/users").text
    assert "Administrator" in english and "Library staff" in english and "Patron" in english


def test_admins_see_the_librarys_time_zone_on_the_settings_page(app, client, login, make_user):
    login(make_user(role="admin"))
    assert "Asia/Shanghai" in client.get("/admin/settings").text
    app.config["LIBRARY_TIMEZONE"] = "Europe/London"
    try:
        page = client.get("/admin/settings", headers={"Accept-Language": "zh-CN"}).text
    finally:
        app.config["LIBRARY_TIMEZONE"] = "Asia/Shanghai"
    assert "以 Europe/London 时区为准" in page
