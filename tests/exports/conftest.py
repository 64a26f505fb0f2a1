from tests.api.conftest import make_outcome, places, staff, world  # noqa: F401 - shared fixtures
