"""Rules of valid HTML that a template can break before the Nu Html Checker (make e2e) sees the
page: htmx's attributes in their data-hx-* form, machine times to the second."""
import re
from datetime import datetime
from pathlib import Path

import pytest

from app.i18n import machine_time

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPTS = sorted((ROOT / "static" / "js").rglob("*.js"))
BARE_HX = re.compile(r"(?<![-\w])hx-[a-z]")  # hx-post=, "hx-get":, [hx-target]


@pytest.mark.parametrize("path", TEMPLATES + SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_htmx_attributes_are_written_data_hx(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":  # only selectors and attribute reads: comments may name them
        text = "\n".join(re.findall(r"""["'`][^"'`]*["'`]""", text))
    assert not BARE_HX.findall(text), f"{path.name}: write data-hx-…, which is valid HTML"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_datetime_attributes_go_through_machine_time(path):
    for value in re.findall(r'datetime="([^"]*)"', path.read_text(encoding="utf-8")):
        assert "|machine_time" in value, f"{path.name}: datetime=\"{value}\""


def test_machine_time_drops_the_microseconds():
    assert machine_time(datetime(2026, 12, 7, 16, 5, 9, 123456)) == "2026-12-07T16:05:09Z"


def test_the_rule_catches_a_bare_attribute():
    assert BARE_HX.findall('<form hx-post="/x">') and BARE_HX.findall('{"hx-get": 1}')
    assert not BARE_HX.findall('<form data-hx-post="/x"> HX-Request')
