"""Shared test configuration: Hypothesis profiles and a private unit registry.

Choose one with ``HYPOTHESIS_PROFILE=ci`` (the default is ``dev``):

* ``dev`` — quick local runs, examples remembered in ``.hypothesis/``;
* ``ci`` — more examples, derandomised so that a CI failure reproduces, no
  example database.

Neither profile has a deadline: the first example of a session builds the
unit registry (a few hundred milliseconds), which is not a slow test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    """A unit registry of the test's own, so that units it defines never leak into others."""
    from policytargets import _units

    saved = _units._registry, list(_units._extra_definitions)
    _units._registry, _units._extra_definitions[:] = None, []
    _units._clear_caches()
    try:
        yield
    finally:
        _units._registry, _units._extra_definitions[:] = saved
        _units._clear_caches()
