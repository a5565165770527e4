from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("long", max_examples=2000, deadline=None)
"""``--hypothesis-profile=long``: the promise property (tests/mockserver/test_promise.py) and
every other hypothesis test run 2,000 examples instead of 100."""
