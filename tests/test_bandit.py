"""`make lint` runs bandit over app/: no finding of medium or high severity unless the line is
marked `# nosec BXXX` with its reason. Checked with the Makefile's own command, on the code as it
is and on a file with an unmarked risk."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def makefile_bandit(target: Path) -> list[str]:
    """The bandit line of `make lint`, aimed at `target` instead of app/."""
    (line,) = re.findall(r"^\t\$\(BIN\)/(bandit .*)$", (ROOT / "Makefile").read_text(), re.M)
    words = shlex.split(line)
    return [str(BIN / words[0]), *(str(target) if word == "app" else word for word in words[1:])]


def bandit(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(makefile_bandit(target), capture_output=True, text=True, timeout=300)


def test_the_app_has_no_unmarked_finding_of_medium_or_high_severity():
    result = bandit(ROOT / "app")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("line, fails", [
    ("return Markup(text)", True),
    ("return Markup(text)  # nosec B704 # escaped by the caller", False),
    ("return Markup(text)  # nosec B608 # the wrong check named", True),
])
def test_an_unmarked_risk_fails_the_lint(tmp_path, line, fails):
    (tmp_path / "risky.py").write_text(
        f"from markupsafe import Markup\n\n\ndef show(text):\n    {line}\n")
    result = bandit(tmp_path)
    assert (result.returncode != 0) == fails, result.stdout
    assert ("B704" in result.stdout) == fails
