"""The templates ask the features' policies by name, and no feature reaches into another's
routes (app/moderation used the proposal page from app/proposals/routes.py; app/jobs.py the
dashboard's period from app/insight/routes.py)."""
import re
from pathlib import Path

import pytest

from app.policies import FEATURES, may
from app.proposals.models import Status
from tests.policy_people import person, proposal

ROOT = Path(__file__).resolve().parent.parent
RULE = re.compile(r"""\bmay\(\s*["']([a-z_]+)\.([a-z_]+)["']""")


def rules_in_templates() -> set[tuple[str, str]]:
    return {match for path in (ROOT / "templates").rglob("*.html")
            for match in RULE.findall(path.read_text(encoding="utf-8"))}


def test_templates_ask_policies_that_exist():
    rules = rules_in_templates()
    assert len(rules) > 10
    for feature, verb in sorted(rules):
        assert callable(getattr(FEATURES[feature], f"can_{verb}")), (feature, verb)


@pytest.mark.parametrize("role, expected", [("visitor", False), ("patron", False),
                                            ("staff", True), ("admin", True)])
def test_may_asks_the_policy_about_the_viewer(role, expected):
    assert may(person(role), "moderation.moderate") is expected
    assert may(person(role), "projects.start", proposal(Status.ACCEPTED)) is expected
    assert may(person(role), "projects.start", proposal(Status.OPEN)) is False


def test_a_rule_that_is_no_policy_is_an_error():
    with pytest.raises(AttributeError):
        may(person("staff"), "moderation.fly")
    with pytest.raises(KeyError):
        may(person("staff"), "nowhere.moderate")


def test_no_feature_imports_another_features_routes():
    for path in (ROOT / "app").rglob("*.py"):
        if path.name == "__init__.py" and path.parent.name == "app":
            continue  # create_app registers every blueprint
        for feature in re.findall(r"^\s*from app\.(\w+)\.routes import|^\s*from app\.(\w+) import "
                                  r"routes", path.read_text(encoding="utf-8"), re.M):
            name = next(part for part in feature if part)
            assert path.parent.name == name, f"{path.relative_to(ROOT)} imports {name}.routes"
