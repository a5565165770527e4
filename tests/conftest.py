import pytest
from hypothesis import settings

from gcmock.scenarios.world import World, build_world

pytest_plugins = ["pytester"]

settings.register_profile("long", max_examples=2000, deadline=None)
"""``--hypothesis-profile=long``: the promise property (tests/mockserver/test_promise.py) and
every other hypothesis test run 2,000 examples instead of 100."""


@pytest.fixture(scope="session")
def xlarge() -> World:
    """The org of 10,000 users and 500 queues, built once per test session (about 1.5 s)."""
    return build_world(5, "xlarge")
