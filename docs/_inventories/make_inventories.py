"""Write the small intersphinx inventories the docs link with, so the build needs no network.

The docs link to Python, pandas and pint. Fetching their ``objects.inv`` at build
time would make ``sphinx-build`` depend on the network (CI builds offline), so
this script writes inventories of just the names the docs use, with the pages
those projects publish them on. Run it after adding a link to a new name:

    python docs/_inventories/make_inventories.py
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).parent

PYTHON = {
    # name: (role, page#anchor)
    "str": ("class", "library/stdtypes.html#str"),
    "int": ("class", "library/functions.html#int"),
    "float": ("class", "library/functions.html#float"),
    "bool": ("class", "library/functions.html#bool"),
    "list": ("class", "library/stdtypes.html#list"),
    "dict": ("class", "library/stdtypes.html#dict"),
    "tuple": ("class", "library/stdtypes.html#tuple"),
    "None": ("data", "library/constants.html#None"),
    "Exception": ("exception", "library/exceptions.html#Exception"),
    "ValueError": ("exception", "library/exceptions.html#ValueError"),
    "LookupError": ("exception", "library/exceptions.html#LookupError"),
    "KeyError": ("exception", "library/exceptions.html#KeyError"),
    "ImportError": ("exception", "library/exceptions.html#ImportError"),
    "ModuleNotFoundError": ("exception", "library/exceptions.html#ModuleNotFoundError"),
    "FileNotFoundError": ("exception", "library/exceptions.html#FileNotFoundError"),
    "ExceptionGroup": ("exception", "library/exceptions.html#ExceptionGroup"),
    "os.PathLike": ("class", "library/os.html#os.PathLike"),
    "pathlib.Path": ("class", "library/pathlib.html#pathlib.Path"),
    "datetime.date": ("class", "library/datetime.html#datetime.date"),
    "enum.Enum": ("class", "library/enum.html#enum.Enum"),
    "enum.StrEnum": ("class", "library/enum.html#enum.StrEnum"),
    "typing.Any": ("data", "library/typing.html#typing.Any"),
    "typing.Literal": ("data", "library/typing.html#typing.Literal"),
    "collections.abc.Mapping": ("class", "library/collections.abc.html#collections.abc.Mapping"),
    "collections.abc.Sequence": ("class", "library/collections.abc.html#collections.abc.Sequence"),
    "collections.abc.Iterable": ("class", "library/collections.abc.html#collections.abc.Iterable"),
    "collections.abc.Iterator": ("class", "library/collections.abc.html#collections.abc.Iterator"),
    "collections.abc.Callable": ("class", "library/collections.abc.html#collections.abc.Callable"),
    "collections.abc.Hashable": ("class", "library/collections.abc.html#collections.abc.Hashable"),
    "argparse": ("module", "library/argparse.html#module-argparse"),
    "difflib.get_close_matches": ("function", "library/difflib.html#difflib.get_close_matches"),
}

PANDAS = {
    "pandas.DataFrame": ("class", "reference/api/pandas.DataFrame.html#pandas.DataFrame"),
    "pandas.Series": ("class", "reference/api/pandas.Series.html#pandas.Series"),
    "pandas.read_csv": ("function", "reference/api/pandas.read_csv.html#pandas.read_csv"),
    "pandas.read_excel": ("function", "reference/api/pandas.read_excel.html#pandas.read_excel"),
    "pandas.CategoricalDtype": (
        "class",
        "reference/api/pandas.CategoricalDtype.html#pandas.CategoricalDtype",
    ),
    "pandas.SparseDtype": ("class", "reference/api/pandas.SparseDtype.html#pandas.SparseDtype"),
    "pandas.io.formats.style.Styler": (
        "class",
        "reference/api/pandas.io.formats.style.Styler.html#pandas.io.formats.style.Styler",
    ),
    "pandas.DataFrame.merge": (
        "method",
        "reference/api/pandas.DataFrame.merge.html#pandas.DataFrame.merge",
    ),
}

PINT = {
    "pint.Quantity": ("class", "api/base.html#pint.Quantity"),
    "pint.Unit": ("class", "api/base.html#pint.Unit"),
    "pint.UnitRegistry": ("class", "api/base.html#pint.UnitRegistry"),
    "pint.get_application_registry": ("function", "api/base.html#pint.get_application_registry"),
    "pint.DimensionalityError": ("exception", "api/base.html#pint.DimensionalityError"),
}


def write(name: str, project: str, version: str, entries: dict[str, tuple[str, str]]) -> None:
    """Write ``name.inv`` in Sphinx's inventory format, version 2."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{key} py:{role} 1 {uri} -\n" for key, (role, uri) in sorted(entries.items()))
    (HERE / f"{name}.inv").write_bytes(
        header.encode("utf-8") + zlib.compress(lines.encode("utf-8"))
    )


if __name__ == "__main__":
    write("python", "Python", "3", PYTHON)
    write("pandas", "pandas", "3", PANDAS)
    write("pint", "pint", "0.24", PINT)
