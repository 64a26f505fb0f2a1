from tests.api.conftest import places, staff, world  # noqa: F401 - shared fixtures
