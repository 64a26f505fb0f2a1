"""Every staff action leaves exactly one audit row; a patron guessing staff URLs gets 403."""
import re
from datetime import date, timedelta

import pytest

from app import settings
from app.audit import AuditEntry
from app.extensions import db
from app.moderation import services as moderation
from app.projects import services as projects
from app.proposals import services as proposals
from app.proposals.models import Comment, Status


@pytest.fixture
def world(make_user, make_proposal, make_project):
    settings.put("flag_threshold", 1)
    staff, patron = make_user(role="admin"), make_user()
    project = make_project()
    projects.join(project, patron)
    submitted = make_proposal(status=Status.SUBMITTED)
    under_review = make_proposal(status=Status.UNDER_REVIEW)
    open_one, target = make_proposal(), make_proposal()
    accepted = make_proposal(status=Status.ACCEPTED)
    comment = proposals.add_comment(open_one, author=patron, body="A comment to judge.")
    flagged = proposals.add_comment(open_one, author=patron, body="Rude words here.")
    moderation.flag(flagged, by=make_user(), reason="offensive")
    db.session.commit()
    return locals()


def staff_actions(w):
    v = w["project"].id
    volunteer_id = db.session.execute(db.text("SELECT id FROM volunteer")).scalar()
    until = (date.today() + timedelta(days=3)).isoformat()
    return [
        (f"/proposals/{w['submitted'].id}/status", {"action": "publish"}),
        (f"/proposals/{w['under_review'].id}/status", {"action": "accept", "note": "Yes."}),
        (f"/proposals/{w['open_one'].id}/classify", {"category_id": "2", "branch_id": "2"}),
        (f"/proposals/{w['target'].id}/status", {"action": "review"}),
        (f"/proposals/{w['target'].id}/feasibility", {"note": "Needs two staff."}),
        (f"/proposals/{w['open_one'].id}/comments/{w['comment'].id}/official", {"official": "1"}),
        (f"/comments/{w['comment'].id}/hide", {"hidden": "1"}),
        (f"/staff/flags/comment/{w['flagged'].id}", {"decision": "uphold"}),
        (f"/proposals/{w['accepted'].id}/project", {
            "goal": "A goal for the project.", "volunteer_tasks": "Things volunteers do.",
            "places": "2", "starts_on": "2026-12-01", "lead_id": str(w["staff"].id)}),
        (f"/projects/{v}/updates", {"body": "News from the project."}),
        (f"/projects/{v}/milestones/{w['project'].milestones[0].id}", {"done": "1"}),
        (f"/projects/{v}/volunteers/{volunteer_id}/hours", {"hours": "3"}),
        (f"/projects/{v}/complete", {"summary": "It is done now.", "indicators-0-name": "Seats",
                                     "indicators-0-before": "1", "indicators-0-after": "2"}),
        (f"/admin/users/{w['patron'].id}/suspend", {"until": until, "reason": "Spam"}),
        (f"/admin/users/{w['patron'].id}/lift", {}),
        (f"/admin/users/{w['patron'].id}/role", {"role": "staff"}),
        ("/admin/settings", {"response_threshold": "9", "response_days": "9",
                             "flag_threshold": "9"}),
        ("/admin/places", {"kind": "branch", "slug": "pop-up", "name_en": "Pop-up",
                           "name_zh": "快闪点"}),
        (f"/proposals/{w['open_one'].id}/status", {"action": "merge", "note": "Same.",
                                                   "target": str(w["target"].id)}),
    ]


def test_every_staff_action_leaves_exactly_one_audit_row(client, login, world):
    login(world["staff"])
    for url, data in staff_actions(world):
        before = db.session.query(AuditEntry).count()
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.status_code)
        assert db.session.query(AuditEntry).count() == before + 1, url


def test_a_patron_guessing_staff_urls_gets_403(client, login, world):
    audited = db.session.query(AuditEntry).count()
    login(world["patron"])
    for url, data in staff_actions(world):
        assert client.post(url, data=data).status_code in (403, 404), url
    for url in ("/staff/moderation", "/staff/dashboard", "/admin/users", "/admin/settings",
                "/admin/audit", "/admin/places", "/admin/glossary", f"/projects/{world['project'].id}/complete",
                f"/proposals/{world['accepted'].id}/project", "/staff/dashboard/service.csv"):
        assert client.get(url).status_code == 403, url
    assert db.session.query(AuditEntry).count() == audited
    assert db.session.get(Comment, world["comment"].id).is_official is False


ROW = re.compile(r"<tr>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*"
                 r"<td>(.*?)</td>\s*</tr>", re.S)
TAGS = re.compile(r"<[^>]+>")


def audit_rows(client, language: str) -> list[tuple[str, str, str]]:
    page = client.get("/admin/audit", headers={"Accept-Language": language}).text
    return [tuple(" ".join(TAGS.sub(" ", cell).split()) for cell in row)
            for row in ROW.findall(page)]


def test_the_audit_log_says_every_staff_action_in_words(client, login, world):
    """What was done and to what, as phrases in the reader's language, never as codes."""
    login(world["staff"])
    for url, data in staff_actions(world):
        client.post(url, data=data)
    codes = {entry.action for entry in db.session.query(AuditEntry)}
    chinese = audit_rows(client, "zh-CN")
    assert len(chinese) == len(staff_actions(world))
    for what, on, _why in chinese:
        assert what and not re.search(r"[A-Za-z_]", what), what  # no code left, no English
        assert re.fullmatch(r"[\u4e00-\u9fff]+ #\d+|系统设置", on), on
    whats = {what for what, _on, _why in chinese}
    assert {"发布", "采纳", "合并到其他建议", "登记志愿服务时长为 3 小时", "将角色改为“馆员”",
            "举报成立：继续隐藏", "解除停用"} <= whats
    assert any(what.startswith("停用账号至 ") for what in whats)
    whys = {why for *_, why in chinese}
    assert "Spam" in whys and not any("until" in why for why in whys)
    [changed] = [why for why in whys if "答复时限（天）：9" in why]  # the settings form's labels
    assert changed.count("：9") == 3 and changed.count("；") == 2 and "_" not in changed
    english = audit_rows(client, "en")
    assert {"published", "accepted", "set the volunteer hours to 3",
            "changed the role to Library staff"} <= {what for what, _on, _why in english}
    assert not codes & {what for what, _on, _why in english}
    page = client.get("/admin/audit").text
    proposal = world["submitted"].id
    assert f'<a href="/proposals/{proposal}">proposal #{proposal}</a>' in page
    assert f'<a href="/projects/{world["project"].id}">project #{world["project"].id}</a>' in page
