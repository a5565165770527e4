import pytest
from hypothesis import settings

from gcmock.scenarios.world import World, build_world

pytest_plugins = ["pytester"]

settings.register_profile("default", deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("default")
"""``--hypothesis-profile=long``: the promise property (tests/mockserver/test_promise.py) and
every other hypothesis test run 2,000 examples instead of 100. No profile has a deadline: a
property's examples are checked for what they return, and wall time on a shared CI machine says
nothing about them."""


@pytest.fixture(scope="session")
def xlarge() -> World:
    """The org of 10,000 users and 500 queues, built once per test session (about 1.5 s)."""
    return build_world(5, "xlarge")
