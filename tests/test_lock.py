"""`make setup` installs exactly what requirements.lock pins: every dependency pyproject.toml names
is pinned there with its hashes, and the environment the suite runs in has those versions."""
import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    """Each requirement of the lock (a line and its indented continuation), which must carry
    its hashes."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = {}
    for block in re.findall(r"^[A-Za-z0-9][^\n]*(?:\n[ \t]+[^\n]*)*", text, re.MULTILINE):
        name, version = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", block).groups()
        assert "--hash=sha256:" in block, f"{name} has no hash in requirements.lock"
        found[canonical(name)] = version
    assert found, "requirements.lock pins nothing"
    return found


def test_every_dependency_of_pyproject_is_pinned_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = pins()
    for requirement in wanted:
        name = canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group())
        assert name in locked, f"{name} is in pyproject.toml but not in requirements.lock: " \
                               "run `make upgrade-deps`"


def test_the_suite_runs_on_the_locked_versions():
    different = {name: (version, metadata.version(name)) for name, version in pins().items()
                 if name not in {"pip", "setuptools", "wheel"}
                 and metadata.version(name) != version}
    assert not different, f"installed versions differ from the lock (locked, installed): {different}"
