"""WCAG 2.2 AA in a real browser: axe-core (from npm, pinned in package.json) on every page type,
as a visitor, a patron, staff and an admin where the page differs, in English and in Chinese,
and the same pages through the W3C Nu Html Checker (vnu-jar, also pinned): no HTML error;
then what axe cannot judge: no English left in the Chinese interface, keyboard operation, a
visible focus, reflow at 320 px and 200% zoom."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Site, Story, sign_in
from tests.e2e.nu_checker import NuChecker

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 450}  # a 1280 × 900 screen at 200%

# (page, role, path); {names} are Story ids. Roles see different headers, forms and tools; a page
# that differs between roles only in its header is checked once (the staff header on the others).
PAGES = [
    ("proposal-list", "visitor", "/proposals"),
    ("proposal-list", "patron", "/proposals"),
    ("proposal-list", "admin", "/proposals"),
    ("proposal-search", "patron", "/proposals?q=science+library&status=open"),
    ("proposal-search-none", "visitor", "/proposals?q=nothing+like+this+at+all"),
    ("proposal-detail", "visitor", "/proposals/{review}"),
    ("proposal-detail", "patron", "/proposals/{review}"),
    ("proposal-detail", "staff", "/proposals/{review}"),
    ("proposal-detail-submitted", "staff", "/proposals/{submitted}"),
    ("proposal-detail-accepted", "staff", "/proposals/{accepted}"),
    ("proposal-detail-completed", "visitor", "/proposals/{completed_proposal}"),
    ("new-proposal", "patron", "/proposals/new"),
    ("proposal-edit", "staff", "/proposals/{submitted}/edit"),
    ("new-proposal", "staff", "/proposals/new"),
    ("sign-in", "visitor", "/auth/login"),
    ("register", "visitor", "/auth/register"),
    ("moderation-queue", "staff", "/staff/moderation"),
    ("project-list", "visitor", "/projects"),
    ("project-detail", "visitor", "/projects/{project}"),
    ("project-detail", "patron", "/projects/{project}"),
    ("project-detail", "staff", "/projects/{project}"),
    ("project-detail-completed", "visitor", "/projects/{completed}"),
    ("project-start", "staff", "/proposals/{accepted}/project"),
    ("project-complete", "staff", "/projects/{project}/complete"),
    ("outcomes", "visitor", "/outcomes"),
    ("outcomes", "patron", "/outcomes"),
    ("outcomes", "staff", "/outcomes"),
    ("notifications", "patron", "/notifications"),
    ("notifications", "staff", "/notifications"),
    ("insight-dashboard", "staff", "/staff/dashboard"),
    ("account", "patron", "/account"),
    ("account-recognition", "patron", "/account/recognition"),
    ("account-close", "patron", "/account/close"),
    ("notification-settings", "patron", "/notifications/settings"),
    ("forgotten-password", "visitor", "/auth/reset"),
    ("reset-password", "visitor", "/auth/reset/{reset_token}"),
    ("exports", "staff", "/staff/exports"),
    ("admin-users", "staff", "/admin/users"),
    ("admin-users", "admin", "/admin/users"),
    ("admin-settings", "admin", "/admin/settings"),
    ("admin-places", "admin", "/admin/places"),
    ("admin-glossary", "admin", "/admin/glossary"),
    ("admin-audit", "admin", "/admin/audit"),
    ("call-list", "visitor", "/calls"),
    ("call-list", "staff", "/calls"),
    ("call-detail", "visitor", "/calls/{call}"),
    ("call-detail", "patron", "/calls/{call}"),
    ("call-detail", "staff", "/calls/{call}"),
    ("call-detail-results", "visitor", "/calls/{past_call}"),
    ("call-new", "staff", "/calls/new"),
    ("call-edit", "staff", "/calls/{call}/edit"),
    ("new-proposal-in-call", "patron", "/proposals/new?call={call}"),
    ("workshop-list", "visitor", "/workshops"),
    ("workshop-list", "staff", "/workshops"),
    ("workshop-detail", "visitor", "/workshops/{workshop}"),
    ("workshop-detail", "patron", "/workshops/{workshop}"),
    ("workshop-detail", "staff", "/workshops/{workshop}"),
    ("workshop-detail-past", "visitor", "/workshops/{past_workshop}"),
    ("workshop-detail-past", "staff", "/workshops/{past_workshop}"),
    ("workshop-new", "staff", "/workshops/new"),
    ("workshop-edit", "staff", "/workshops/{workshop}/edit"),
    ("workshop-attendance", "staff", "/workshops/{past_workshop}/attendance"),
    ("workshop-minutes", "staff", "/workshops/{past_workshop}/minutes"),
    ("workshop-links", "staff", "/workshops/{past_workshop}/links"),
    ("workshop-calendar", "patron", "/workshops/calendar"),
    ("not-found", "visitor", "/proposals/999999"),
    ("home", "visitor", "/"),
    ("home", "patron", "/"),
    ("proposal-withdrawn", "visitor", "/proposals/{withdrawn}"),
    ("proposal-changes-requested", "patron", "/proposals/{changes}"),
    ("withdraw", "patron", "/proposals/{own}/withdraw"),
    ("merge-search", "staff", "/proposals/{submitted}/merge?q=machine"),
    ("admin-population", "admin", "/admin/population"),
]
LANGS = ["en", "zh_Hans"]
# The pages a phone reader must be able to use without scrolling sideways.
MAIN_PAGES = [
    ("visitor", "/proposals"), ("visitor", "/proposals/{review}"), ("visitor", "/auth/login"),
    ("visitor", "/auth/register"), ("visitor", "/projects/{completed}"),
    ("patron", "/proposals/new"), ("patron", "/projects/{project}"), ("patron", "/outcomes"),
    ("patron", "/notifications"), ("staff", "/proposals/{review}"),
    ("staff", "/staff/moderation"), ("staff", "/projects/{project}"),
    ("staff", "/projects/{project}/complete"), ("staff", "/proposals/{accepted}/project"),
    ("visitor", "/calls"), ("visitor", "/calls/{call}"), ("staff", "/calls/new"),
    ("visitor", "/workshops"), ("patron", "/workshops/{workshop}"),
    ("staff", "/workshops/{past_workshop}/attendance"), ("staff", "/workshops/new"),
]


def _path(template: str, story: Story) -> str:
    return template.format(**{name: getattr(story, name) for name in
                              re.findall(r"{(\w+)}", template)})


@pytest.fixture(scope="module")
def contexts(browser: Browser, browser_context_args: dict, site: Site, story: Story):
    """One signed-in browser context per (role, language, viewport), kept for the module."""
    made: dict[tuple, BrowserContext] = {}
    admin = site.add_account("Ada Admin", "staff", role="admin")
    accounts = {"visitor": None, "patron": story.patron, "staff": site.staff, "admin": admin}
    signed_in: dict[str, dict] = {}  # role -> storage state: each account signs in once

    def get(role: str, *, lang: str = "en", viewport: dict = DESKTOP,
            scale: float = 1) -> BrowserContext:
        key = (role, lang, viewport["width"], scale)
        if key not in made:
            context = browser.new_context(**{**browser_context_args, "viewport": viewport,
                                             "device_scale_factor": scale,
                                             "storage_state": signed_in.get(role)})
            context.set_default_timeout(10_000)
            # An init script runs under the site's Content-Security-Policy (script-src 'self'),
            # which refuses an injected <script> element such as add_script_tag's.
            context.add_init_script(path=AXE_SCRIPT)
            if accounts[role] and role not in signed_in:  # in English: sign_in reads the labels
                page = context.new_page()
                sign_in(page, accounts[role])
                page.close()
                signed_in[role] = context.storage_state()
            context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
            made[key] = context
        return made[key]

    yield get
    for context in made.values():
        context.close()


def run_axe(page: Page) -> list[dict]:
    """axe-core on the page as it is, with every <details> opened so that hidden forms (reasons,
    flags, staff tools) are checked too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), why: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )


def assert_accessible(page: Page, where: str) -> None:
    violations = run_axe(page)
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {where} ({page.url}):"]
        for v in violations:
            lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['url']})")
            for node in v["nodes"]:
                lines.append(f"    at {node['target']}")
                lines.extend(f"       {line}" for line in (node["why"] or "").splitlines())
        report = "\n".join(lines)
        print(report)
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "role", "path"), PAGES,
                         ids=[f"{name}-{role}" for name, role, _path in PAGES])
def test_axe_finds_no_violation(contexts, story: Story, name: str, role: str, path: str,
                                lang: str) -> None:
    page = contexts(role, lang=lang).new_page()
    response = page.goto(_path(path, story))
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh_Hans" else "en")
    if lang == "zh_Hans":
        expect(page.get_by_role("navigation").first).to_contain_text(
            re.compile(r"[\u4e00-\u9fff]"))
    assert_accessible(page, f"{name} as {role} in {lang}")
    page.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "role", "path"), PAGES,
                         ids=[f"{name}-{role}" for name, role, _path in PAGES])
def test_html_is_valid(contexts, html_checker: NuChecker, story: Story, name: str, role: str,
                       path: str, lang: str) -> None:
    """The page as the server sends it, through the W3C Nu Html Checker: no error."""
    response = contexts(role, lang=lang).request.get(_path(path, story))
    assert response.status == (404 if name == "not-found" else 200)
    assert_valid_html(html_checker, response.text(), f"{name} as {role} in {lang} ({response.url})")


def assert_valid_html(checker: NuChecker, html: str, where: str) -> None:
    report = checker.report(html, where)
    if report:
        print(report)
        pytest.fail(report, pytrace=False)


def test_pages_load_their_icon_with_nothing_missing_in_the_console(new_context,
                                                                     story: Story) -> None:
    """The favicon (an SVG named by <link rel="icon">) loads; no request fails, no console
    error (a browser looking for /favicon.ico would log a 404). A fresh context: nothing cached."""
    context = new_context(viewport=DESKTOP)
    page = context.new_page()
    errors, answers = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # A fetch the next navigation cancels (the icon, requested after "load") is not a failure.
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"
            and errors.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: answers.append((response.url, response.status)))
    for path in ("/proposals", "/proposals/{review}", "/auth/login", "/outcomes"):
        page.goto(_path(path, story))
        page.wait_for_load_state("load")
        expect(page.locator('link[rel="icon"]')).to_have_attribute("type", "image/svg+xml")
    page.wait_for_timeout(300)  # the icon is fetched after the load event
    assert not errors, errors
    assert [status for url, status in answers if url.endswith("/favicon.svg")][:1] == [200]
    assert not [(url, status) for url, status in answers if status >= 400]
    assert context.request.get("/favicon.ico").status == 200  # redirected to the SVG
    context.close()


# Latin words a Chinese page may show: only those the Chinese catalogue itself keeps.
CATALOGUE = Path(__file__).resolve().parents[2] / "app" / "translations" / "zh_Hans" \
    / "LC_MESSAGES" / "messages.po"
MAY_STAY_LATIN = {"Commons", "CSV", "JSON", "Markdown", "Atom", "API", "Wi-Fi", "Email",
                  "ics"}  # a calendar file's extension, like CSV
# The interface around the reader's content: header, navigation, controls, labels, headings.
INTERFACE_TEXT = """() => {
    const parts = [];
    const chrome = "header, nav, button, [role=button], label, legend, summary, "
        + "h1, h2, h3, h4, h5, h6, th, caption, footer";
    for (const el of document.querySelectorAll(chrome)) {
        if (el.matches(".language-switch button[lang=en]")) continue;  // "English", on purpose
        if (el.closest(".language-switch") && el.tagName !== "BUTTON") continue;
        const clone = el.cloneNode(true);
        clone.querySelectorAll(".language-switch button[lang=en]").forEach(b => b.remove());
        if (!el.checkVisibility() && !el.closest(".visually-hidden")) continue;
        parts.push(clone.textContent.replace(/\\s+/g, " ").trim());
    }
    for (const input of document.querySelectorAll("input[type=submit], input[type=button]"))
        parts.push(input.value);
    return parts.filter(Boolean);
}"""


def _catalogue_latin() -> set[str]:
    """Latin words of 3+ letters in the Chinese translations (placeholders left out)."""
    text = "\n".join(re.findall(r'^msgstr(?:\[\d+\])? "(.*)"', CATALOGUE.read_text("utf-8"),
                                flags=re.MULTILINE))
    return set(re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", re.sub(r"%\(\w+\)\w", "", text)))


def _user_written(site: Site) -> list[str]:
    """What patrons and staff wrote (titles, names, milestones, indicators, calls): not
    interface."""
    from app.auth.models import User
    from app.extensions import db
    from app.projects.models import Indicator, Milestone
    from app.proposals.calls import Call
    from app.proposals.models import Proposal
    from app.workshops.models import Workshop
    with site.app.app_context():
        rows = [*db.session.scalars(db.select(Proposal.title)),
                *db.session.scalars(db.select(Call.title_en)),
                *db.session.scalars(db.select(Call.title_zh)),
                *db.session.scalars(db.select(User.display_name)),
                *db.session.scalars(db.select(Milestone.title)),
                *db.session.scalars(db.select(Indicator.name)),
                *db.session.scalars(db.select(Indicator.unit)),
                *db.session.scalars(db.select(Workshop.title)),
                *db.session.scalars(db.select(Workshop.room)),
                *db.session.scalars(db.select(Workshop.question))]
        db.session.remove()
    return sorted({row for row in rows if row}, key=len, reverse=True)


@pytest.mark.parametrize("role", ["visitor", "staff"])
def test_chinese_pages_leave_no_english_interface_text(contexts, site: Site, story: Story,
                                                       role: str) -> None:
    allowed = MAY_STAY_LATIN & _catalogue_latin()
    written = _user_written(site)
    page = contexts(role, lang="zh_Hans").new_page()
    leftovers = []
    paths = ["/proposals", "/proposals/{review}", "/proposals/{completed_proposal}", "/projects",
             "/projects/{project}", "/projects/{completed}", "/outcomes", "/calls",
             "/calls/{call}", "/calls/{past_call}", "/workshops", "/workshops/{workshop}",
             "/workshops/{past_workshop}", "/", "/proposals/{withdrawn}"]
    if role == "staff":
        paths += ["/staff/moderation", "/proposals/{submitted}", "/proposals/{accepted}",
                  "/staff/dashboard", "/calls/new", "/calls/{call}/edit"]
    for path in paths:
        page.goto(_path(path, story))
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for text in page.evaluate(INTERFACE_TEXT):
            for own in written:
                text = text.replace(own, " ")
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", text)
                     if len(w.replace("-", "")) >= 3 and w not in allowed]
            if words:
                leftovers.append(f"{path}: {words} in “{text[:120]}”")
    page.close()
    assert not leftovers, "English left in the Chinese interface:\n" + "\n".join(
        dict.fromkeys(leftovers))


def test_forms_with_errors_are_accessible(contexts, html_checker: NuChecker) -> None:
    """A refused form: the alert, aria-invalid fields and their error messages; valid HTML."""
    page = contexts("visitor").new_page()
    page.goto("/auth/register")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    assert_accessible(page, "the register form with errors")
    assert_valid_html(html_checker, page.content(), "the register form with errors")
    page.close()

    page = contexts("patron").new_page()
    page.goto("/proposals/new")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    assert_accessible(page, "the new proposal form with errors")
    assert_valid_html(html_checker, page.content(), "the new proposal form with errors")
    page.close()


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    pytest.fail(f"{selector} was not reached with {limit} presses of Tab")


def _focus_ring(page: Page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 40),
                style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                color: style.outlineColor, shadow: style.boxShadow,
                top: box.top, bottom: box.bottom, left: box.left, right: box.right,
                innerHeight: window.innerHeight, innerWidth: window.innerWidth};
    }""")


def _contrast(css_colour: str, background: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of an "rgb(r, g, b)" colour against a background."""
    def luminance(rgb) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    colour = [int(n) for n in re.findall(r"\d+", css_colour)[:3]]
    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_support_button_works_by_keyboard_alone(contexts, story: Story) -> None:
    page = contexts("patron").new_page()
    page.goto(f"/proposals/{story.review}")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    count = page.locator("[data-support-count]")
    before = int(count.get_attribute("data-support-count"))
    page.evaluate("window.__marker = 1")

    button = page.locator(".support-button")
    pressed = button.get_attribute("aria-pressed")  # the story's patron supports it already
    _tab_to(page, ".support-button")
    ring = _focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    page.keyboard.press("Enter")
    after = before - 1 if pressed == "true" else before + 1
    expect(count).to_have_attribute("data-support-count", str(after))
    expect(page.locator("#announcer")).to_contain_text(
        "Your support is withdrawn." if pressed == "true" else "You support this proposal.")
    # The swapped-in button keeps the focus, so Enter again undoes it.
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(count).to_have_attribute("data-support-count", str(before))
    expect(button).to_have_attribute("aria-pressed", pressed)
    expect(button).to_be_focused()
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    page.close()


def test_focus_is_always_visible(contexts, story: Story) -> None:
    """Tab through the staff view of a proposal (links, buttons, summaries, fields): every stop
    shows a focus ring of at least 2 px in a colour that stands out, inside the window."""
    page = contexts("staff").new_page()
    page.goto(f"/proposals/{story.review}")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    seen = []
    for _ in range(45):
        page.keyboard.press("Tab")
        ring = _focus_ring(page)
        if ring["tag"] == "BODY":
            break
        seen.append(ring)
        visible = (ring["style"] not in ("none", "hidden") and ring["width"] >= 2) \
            or ring["shadow"] != "none"
        assert visible, f"no visible focus on {ring}"
        if ring["style"] != "none":  # WCAG 1.4.11: 3:1 against the paper and the cards
            for background in ((0xF7, 0xF6, 0xF2), (0xFF, 0xFF, 0xFF)):
                assert _contrast(ring["color"], background) >= 3, ring
        assert ring["bottom"] > 0 and ring["top"] < ring["innerHeight"], f"focus off screen: {ring}"
    assert len(seen) >= 20
    assert seen[0]["text"] == "Skip to main content" and seen[0]["top"] >= 0
    assert {r["tag"] for r in seen} >= {"A", "BUTTON", "SUMMARY", "SELECT", "TEXTAREA"}
    page.close()


@pytest.mark.parametrize("role", ["visitor", "patron", "staff"])
def test_no_horizontal_scrolling_at_320_px(contexts, story: Story, role: str) -> None:
    page = contexts(role, viewport=NARROW).new_page()
    wide = []
    for who, path in MAIN_PAGES:
        if who != role:
            continue
        page.goto(_path(path, story))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            # The outermost elements that stick out: their parent fits.
            culprits = page.evaluate("""(limit) => [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > limit + 0.5
                             && e.parentElement.getBoundingClientRect().right <= limit + 0.5)
                .slice(0, 5).map(e => e.outerHTML.slice(0, 80))""", NARROW["width"])
            wide.append(f"{path}: {width}px ({', '.join(culprits)})")
    page.close()
    assert not wide, "pages wider than 320 px:\n" + "\n".join(wide)


# WCAG 1.4.12: readers may override these; nothing may be cut off or overlap.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                    word-spacing: 0.16em !important; }
                  p { margin-bottom: 2em !important; }"""


def test_text_spacing_cuts_nothing_off(contexts, story: Story) -> None:
    page = contexts("staff", viewport={"width": 390, "height": 844}).new_page()
    problems = []
    for path in ("/proposals", "/proposals/{review}", "/projects/{project}", "/outcomes",
                 "/staff/moderation"):
        page.goto(_path(path, story))
        # A constructed style sheet: the site's CSP (style-src 'self') refuses a <style> element.
        page.evaluate("""(css) => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(css);
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        }""", TEXT_SPACING)
        assert page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the window")
        problems.extend(f"{path}: {clip}" for clip in page.evaluate("""() =>
            [...document.querySelectorAll("main *, header *")].filter(e => {
                if (e.closest(".visually-hidden, .excerpt")) return false;
                const style = getComputedStyle(e), cuts = v => v === "hidden" || v === "clip";
                return (cuts(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
                    || (cuts(style.overflowY) && e.scrollHeight > e.clientHeight + 1);
            }).map(e => e.outerHTML.slice(0, 80))"""))
    page.close()
    assert not problems, "text spacing cuts content off:\n" + "\n".join(problems)


def test_still_works_at_200_percent_zoom(contexts, story: Story) -> None:
    """A 1280 px window zoomed to 200% lays out like a 640 px one at twice the pixel density:
    no sideways scrolling, the navigation reachable, and supporting still works."""
    page = contexts("patron", viewport=ZOOMED, scale=2).new_page()
    for path in ("/proposals", "/proposals/{review}", "/outcomes", "/projects/{project}"):
        page.goto(_path(path, story))
        assert page.evaluate("document.documentElement.scrollWidth") <= ZOOMED["width"], path
        viewport_meta = page.locator("meta[name=viewport]").get_attribute("content")
        assert "user-scalable=no" not in viewport_meta and "maximum-scale" not in viewport_meta
    nav = page.get_by_role("navigation", name="Main")
    for link in ("Proposals", "Projects", "You said, we did", "Notifications"):
        item = nav.get_by_role("link", name=re.compile("^" + link))
        expect(item).to_be_in_viewport()
    page.goto(f"/proposals/{story.review}")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    count = page.locator("[data-support-count]")
    before = int(count.get_attribute("data-support-count"))
    button = page.locator(".support-button")
    expect(button).to_be_in_viewport()
    pressed = button.get_attribute("aria-pressed") == "true"
    button.click()  # withdraw if supported, support if not; then back
    expect(count).to_have_attribute("data-support-count",
                                    str(before - 1 if pressed else before + 1))
    button.click()
    expect(count).to_have_attribute("data-support-count", str(before))
    expect(button).to_have_attribute("aria-pressed", "true" if pressed else "false")
    page.close()
