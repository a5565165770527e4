# tests/examples/conftest.py
import dataclasses

import pytest


@pytest.fixture(scope="session")
def gcmock_config(gcmock_config):
    return dataclasses.replace(gcmock_config, seed=2024, conversations=100)
