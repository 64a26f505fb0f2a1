"""Campus sign-in in a real browser, through the real local OpenID provider
(tests/sso/oidc_provider.mjs): with JavaScript on and off, at phone and desktop size."""
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from app.auth import services as accounts
from app.auth.models import User
from app.extensions import db
from tests.e2e.conftest import PASSWORD, Site
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible, assert_valid_html
from tests.sso import provider


@pytest.fixture(scope="module")
def campus(site: Site):
    """The site with OpenID Connect sign-in switched on, for this module only."""
    with provider.running([f"{site.url}/auth/sso/oidc/callback"],
                          [f"{site.url}/proposals"]) as issuer:
        settings = {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": provider.CLIENT_ID,
                    "OIDC_CLIENT_SECRET": provider.CLIENT_SECRET, "PUBLIC_URL": site.url,
                    "OIDC_SCOPES": "openid profile email affiliation"}
        before = {key: site.app.config.get(key) for key in settings}
        site.app.config.update(settings)
        yield site
        site.app.config.update(before)


def _accounts_of(site: Site, email: str) -> list[tuple[str, str]]:
    with site.app.app_context():
        rows = db.session.execute(db.select(User.display_name, User.patron_type)
                                  .where(User.email == email)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def _sign_in_at_provider(page: Page, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()


def test_signing_in_through_the_university_returns_to_the_page_and_reuses_the_account(
        campus: Site, page: Page) -> None:
    login = f"graduate-{uuid.uuid4().hex[:8]}"
    page.goto("/proposals/new")  # signing in first: the page remembers where it was going
    expect(page).to_have_url(re.compile(r"/auth/login\?next=(/|%2F)proposals(/|%2F)new$"))
    page.get_by_role("link", name="University sign-in").click()
    _sign_in_at_provider(page, login)
    expect(page).to_have_url(f"{campus.url}/proposals/new")
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    assert _accounts_of(campus, f"{login}@univ.example.edu") == [(f"Test {login}", "postgraduate")]

    # Signing out here also signs out at the provider (it asks to confirm), then comes back.
    page.get_by_role("navigation", name="Main").locator("details.account-menu > summary").click()
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    page.locator("button[autofocus], button[name=logout]").first.click()
    expect(page).to_have_url(f"{campus.url}/proposals")
    page.goto("/auth/login?next=/projects")
    page.get_by_role("link", name="University sign-in").click()
    _sign_in_at_provider(page, login)  # a new sign-in at the provider: its session ended
    expect(page).to_have_url(f"{campus.url}/projects")
    assert len(_accounts_of(campus, f"{login}@univ.example.edu")) == 1


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
def test_the_sign_in_page_with_campus_buttons_is_accessible_and_valid(
        campus: Site, new_context, html_checker, lang: str) -> None:
    context = new_context()
    context.add_init_script(path=AXE_SCRIPT)
    context.add_cookies([{"name": "lang", "value": lang, "url": campus.url}])
    page = context.new_page()
    page.goto("/auth/login")
    expect(page.locator(".campus-sign-in a")).to_have_count(1)
    assert_accessible(page, f"sign-in with campus buttons in {lang}")
    assert_valid_html(html_checker, context.request.get("/auth/login").text(),
                      f"sign-in with campus buttons in {lang}")
    error = context.request.get("/auth/sso/oidc/callback?state=forged&code=x")
    assert error.status == 400
    assert_valid_html(html_checker, error.text(), f"campus sign-in error in {lang}")
    page.goto("/auth/sso/oidc/callback?state=forged&code=x")
    assert_accessible(page, f"campus sign-in error in {lang}")
    context.close()


def test_a_patron_with_a_password_account_links_it_once(campus: Site, page: Page,
                                                        new_context, html_checker) -> None:
    login = f"faculty-{uuid.uuid4().hex[:8]}"
    email = f"{login}@univ.example.edu"
    with campus.app.app_context():
        accounts.register(email=email, display_name="Old Account", password=PASSWORD,
                          patron_type="staff")
        db.session.commit()
        db.session.remove()
    page.goto("/auth/login?next=/outcomes")
    page.get_by_role("link", name="University sign-in").click()
    _sign_in_at_provider(page, login)
    expect(page).to_have_url(f"{campus.url}/auth/sso/link")
    checker = new_context()
    checker.add_init_script(path=AXE_SCRIPT)
    checker.add_cookies(page.context.cookies())
    link_page = checker.new_page()
    link_page.goto("/auth/sso/link")
    assert_accessible(link_page, "the link page")
    assert_valid_html(html_checker, checker.request.get("/auth/sso/link").text(), "the link page")
    assert_valid_html(html_checker, checker.request.get("/auth/sso/signed-out/oidc").text(),
                      "the signed-out page")
    checker.close()
    page.get_by_label("Password of your Commons account").fill("not the password")
    page.get_by_role("button", name="Link and sign in").click()
    expect(page.get_by_text("That password is not right.")).to_be_visible()
    page.get_by_label("Password of your Commons account").fill(PASSWORD)
    page.get_by_role("button", name="Link and sign in").click()
    expect(page).to_have_url(f"{campus.url}/outcomes")
    assert _accounts_of(campus, email) == [("Old Account", "staff")]
