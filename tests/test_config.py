"""Settings read from the environment: a number that is not one stops the start and says which
variable is wrong; unset or empty is the default."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import config

ROOT = Path(__file__).resolve().parent.parent


def test_a_bad_number_stops_the_start_naming_the_variable():
    environment = os.environ | {"PAGE_CACHE_SECONDS": "sixty"}
    started = subprocess.run([sys.executable, "-c", "import app.config"], cwd=ROOT,
                             env=environment, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "PAGE_CACHE_SECONDS='sixty' is not a whole number" in started.stderr
    assert "invalid literal for int()" not in started.stderr


@pytest.mark.parametrize("value, read", [(None, 25), ("", 25), (" 587 ", 587)])
def test_a_number_unset_or_empty_is_the_default(monkeypatch, value, read):
    if value is None:
        monkeypatch.delenv("MAIL_PORT", raising=False)
    else:
        monkeypatch.setenv("MAIL_PORT", value)
    assert config._int("MAIL_PORT", 25) == read


@pytest.mark.parametrize("value, read", [(None, True), ("1", True), ("0", False), ("", False)])
def test_a_switch_is_on_only_when_1(monkeypatch, value, read):
    if value is None:
        monkeypatch.delenv("REQUIRE_EMAIL_VERIFICATION", raising=False)
    else:
        monkeypatch.setenv("REQUIRE_EMAIL_VERIFICATION", value)
    assert config._bool("REQUIRE_EMAIL_VERIFICATION", True) is read
