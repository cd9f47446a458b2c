"""Shared test configuration: Hypothesis profiles.

Choose one with ``HYPOTHESIS_PROFILE=ci`` (the default is ``dev``):

* ``dev`` — quick local runs, examples remembered in ``.hypothesis/``;
* ``ci`` — more examples, derandomised so that a CI failure reproduces, no
  example database.

Neither profile has a deadline: the first example of a session builds the
unit registry (a few hundred milliseconds), which is not a slow test.
"""

from __future__ import annotations

import os

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
