"""Sphinx configuration for the policytargets documentation."""

from __future__ import annotations

import builtins
import os
import re
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))

import policytargets  # noqa: E402
from policytargets import plotting  # noqa: E402

# Published figures must show Chinese: without a CJK font the plots would fall
# back to English labels, so refuse to build rather than publish them silently.
if plotting.cjk_font() is None and not os.environ.get("POLICYTARGETS_DOCS_NO_CJK"):
    raise RuntimeError(
        "no CJK font found for the figures: pip install -e '.[docs]' (brings mpl-font), "
        "or set POLICYTARGETS_DOCS_NO_CJK=1 to build with English labels"
    )

project = "policytargets"
author = "policytargets maintainers"
copyright = "2022–2026, policytargets maintainers"
release = policytargets.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = [
    "_build",
    "_inventories",
    "jupyter_execute",
    "gallery/*.ipynb",
    "gallery/*.py",
    "**/*.zip",
]
root_doc = "index"
language = "en"

# -- MyST and executed pages ---------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # every page with code cells is run on every build
nb_execution_timeout = 120
nb_execution_raise_on_error = False  # a failing cell is a warning, and -W fails the build
nb_execution_show_tb = True
nb_merge_streams = True

# -- autodoc -------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_class_signature = "separated"
autodoc_default_options = {"members": True}
autodoc_inherit_docstrings = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
python_use_unqualified_type_names = True

# -- intersphinx: links to Python, pandas and pint -------------------------------
# The inventories are shipped in _inventories/ (make_inventories.py writes them), so
# the build never fetches anything: CI builds offline, and -W must not depend on it.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", str(HERE / "_inventories" / "python.inv")),
    "pandas": ("https://pandas.pydata.org/docs", str(HERE / "_inventories" / "pandas.inv")),
    "pint": ("https://pint.readthedocs.io/en/stable", str(HERE / "_inventories" / "pint.inv")),
}
intersphinx_disabled_reftypes = ["std:doc"]
intersphinx_timeout = 1

#: Short module names used in annotations, as the inventories spell them.
_ALIASES = {"pd.": "pandas.", "np.": "numpy.", "os.PathLike": "os.PathLike"}


def _qualify_aliases(app: Any, env: Any, node: Any, contnode: Any) -> None:
    """Turn ``pd.DataFrame`` (as annotations write it) into ``pandas.DataFrame``.

    Runs before intersphinx, which then resolves the qualified name.
    """
    target = node.get("reftarget", "")
    for short, full in _ALIASES.items():
        if target.startswith(short):
            node["reftarget"] = full + target[len(short) :]
            return
    if target in ("DataFrame", "Series", "Styler"):
        node["reftarget"] = {"Styler": "pandas.io.formats.style.Styler"}.get(
            target, "pandas." + target
        )
    elif target in ("Quantity", "Unit", "UnitRegistry"):
        node["reftarget"] = "pint." + target
    elif target in ("Path", "date"):
        node["reftarget"] = {"Path": "pathlib.Path", "date": "datetime.date"}[target]


# Nitpicky mode stays on; third-party types outside the shipped inventories and
# typing internals are excused.
nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(pd|pandas|np|numpy|npt|pint|matplotlib|hypothesis|st|attrs|cattrs)\..*"),
    ("py:class", r"(Axes|DataFrame|Styler|Series|Quantity|Unit|UnitRegistry|SearchStrategy)"),
    ("py:class", r"(NDArray|ArrayLike|DrawFn|Path|date|Enum|StrEnum|Hashable)"),
    ("py:class", r"(Literal|Self|ClassVar|Callable|Iterable|Iterator|Mapping|Sequence|Any)"),
    ("py:class", r"(typing|collections\.abc|datetime|pathlib|enum|os)\..*"),
    ("py:class", r"(optional|default|callable)"),
    ("py:class", r"(Lang|Score|Scorer|ObservationLike|ExceptionGroup)"),
    ("py:obj", r"(typing|collections\.abc)\..*"),
    ("py:exc", r"(ValueError|LookupError|KeyError)"),
]


def _keep_attribute_colons(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Stop napoleon reading "有效: in force." as a type named 有效.

    Napoleon takes the text before a colon on an attribute docstring's first line as the
    attribute's type; our enum members are documented as "Chinese term: meaning".
    """
    if what == "attribute" and lines and re.match(r"^[^:`*]+: ", lines[0]):
        lines[0] = lines[0].replace(": ", " — ", 1)


def setup(app: Any) -> None:
    # Before napoleon (priority 500), which would otherwise rewrite the line first.
    app.connect("autodoc-process-docstring", _keep_attribute_colons, priority=400)
    # Before intersphinx's own missing-reference handler (priority 500).
    app.connect("missing-reference", _qualify_aliases, priority=400)


# -- HTML ----------------------------------------------------------------------
html_theme = "furo"
html_title = f"policytargets {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_theme_options = {
    "source_repository": "https://github.com/policytargets/policytargets/",
    "source_branch": "main",
    "source_directory": "docs/",
}

# -- sphinx-gallery: the scripts in examples/ run on every build ---------------
_EXAMPLES = r"(plot_[^/\\]*|taicang2022_report|taicang2022_html_report)\.py$"


def _example_file(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    """Give each example the ``__file__`` it has when run as ``python examples/x.py``.

    sphinx-gallery runs examples without ``__file__`` (it runs them block by block), and
    our examples find their data next to themselves. The name is set in builtins for the
    duration of one example only.
    """
    if when == "before" and fname is not None:
        builtins.__file__ = str(HERE.parent / "examples" / Path(fname).name)  # type: ignore[attr-defined]
    elif hasattr(builtins, "__file__"):
        del builtins.__file__


sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": str(HERE / "gallery"),
    "filename_pattern": _EXAMPLES,
    # Any other script in examples/ (helpers, data builders) is left out.
    "ignore_pattern": r"^(?!" + _EXAMPLES + ")",
    "download_all_examples": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib", _example_file),
    "reset_modules_order": "both",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "plot_gallery": "True",
    "min_reported_time": 10**6,  # keep timing tables out of the pages
    "show_signature": False,
    "first_notebook_cell": None,
}
suppress_warnings = ["config.cache"]  # sphinx-gallery's conf holds callables
