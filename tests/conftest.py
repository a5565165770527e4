import pytest

from gcmock.scenarios.world import World, build_world

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def xlarge() -> World:
    """The org of 10,000 users and 500 queues, built once per test session (about 1.5 s)."""
    return build_world(5, "xlarge")
