"""Optional dependencies: import them, or say which extra to install.

A feature that needs an optional library calls :func:`require`; without the
library the user gets one :class:`~policytargets.MissingDependencyError`
naming the ``pip install`` command, not a bare ``ModuleNotFoundError`` from
deep inside the call.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ._errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingDependencyError` naming ``extra``.

    Args:
        module: the module to import, e.g. ``"matplotlib.pyplot"``.
        extra: the ``policytargets`` extra that brings it, e.g. ``"plot"``.
        purpose: what needs it, e.g. ``"to draw plots"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(module.split(".")[0], extra, purpose) from exc
