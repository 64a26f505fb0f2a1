"""The layers hold: `make lint` runs these contracts (pyproject.toml), and a change that breaks
one fails it. Checked on a copy of the code with one import added where it must not be."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True,
                          text=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          timeout=120)


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_as_it_is_keeps_every_contract(copy_of_the_code):
    result = lint(copy_of_the_code)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("proposals/services.py", "from app.insight import rollups",
     "app.proposals is not allowed to import app.insight"),
    ("projects/services.py", "from app.notifications import services",
     "app.projects is not allowed to import app.notifications"),
    ("moderation/services.py", "from app.proposals import routes",
     "app.moderation is not allowed to import app.proposals.routes"),
    ("mail/services.py", "from app.notifications import models", "No cycles are allowed in app"),
])
def test_an_import_against_the_layers_fails_the_lint(copy_of_the_code, module, line, broken):
    path = copy_of_the_code / "app" / module
    kept = path.read_text()
    try:
        path.write_text(kept + f"\n{line}  # noqa\n")
        result = lint(copy_of_the_code)
    finally:
        path.write_text(kept)
    assert result.returncode != 0 and broken in result.stdout, result.stdout
