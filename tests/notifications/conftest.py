from tests.workshops.conftest import make_workshop, staff  # noqa: F401  the same fixtures
