from html.parser import HTMLParser

import pytest

from app.markdown import render


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def dangers(html: str) -> list[str]:
    problems = []
    for tag, attrs in Elements(html).found:
        if tag in {"script", "iframe", "svg", "img", "object", "embed", "style", "form"}:
            problems.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                problems.append(name)
            if name in {"href", "src"} and not (value or "").startswith(("http:", "https:", "mailto:")):
                problems.append(f"{name}={value}")
    return problems

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](vbscript:msgbox(1))",
    "<scr<script>ipt>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_renders_inert(payload):
    assert dangers(str(render(payload))) == []


def test_ordinary_markdown_still_works():
    html = str(render("**Quiet** please\n\n- one\n- two\n\n[rules](https://lib.example/rules)"))
    assert "<strong>Quiet</strong>" in html and "<li>one</li>" in html
    assert 'href="https://lib.example/rules"' in html and 'rel="nofollow ugc noopener"' in html


@pytest.mark.parametrize("field", ["problem", "suggestion"])
def test_payloads_in_proposal_fields_and_comments_render_inert(client, login, make_user,
                                                               make_proposal, field):
    proposal = make_proposal(**{field: "\n\n".join(PAYLOADS)})
    login(make_user())
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "\n\n".join(PAYLOADS)})
    page = client.get(f"/proposals/{proposal.id}").text
    prose = "".join(part.split("</div>")[0] for part in page.split('<div class="prose">')[1:])
    assert prose and dangers(prose) == []
    assert "alert(1)" in prose  # shown as text, not run
