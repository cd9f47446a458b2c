"""The documentation: its code runs, its reference is complete, its site checker works."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import policytargets as pt

DOCS = Path(__file__).resolve().parent.parent / "docs"
_SKIP = {"_build", "gallery", "jupyter_execute"}

#: A fenced block: ```python, or a myst-nb code cell (```{code-cell} ipython3), with
#: optional ":option: value" lines after the fence.
_BLOCK = re.compile(
    r"^(?P<fence>`{3,})(?:python|\{code-cell\}(?:[ \t]+(?:ipython3|python3?))?)[ \t]*\n"
    r"(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"
    r"(?P<code>.*?)"
    r"^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


README = DOCS.parent / "README.md"


def _pages() -> list[Path]:
    pages = sorted(
        p for p in DOCS.rglob("*.md") if not _SKIP.intersection(p.relative_to(DOCS).parts)
    )
    return [*pages, README]


def _name(page: Path) -> str:
    return page.relative_to(DOCS).as_posix() if page != README else "README.md"


def code_blocks(text: str) -> list[tuple[int, str]]:
    """The Python blocks of a page, in order, each with the line it starts on."""
    return [
        (text.count("\n", 0, m.start("code")) + 1, m["code"])
        for m in _BLOCK.finditer(text)
        if ":tags: [raises-exception]" not in m["options"]
    ]


_PAGES_WITH_CODE = [p for p in _pages() if code_blocks(p.read_text(encoding="utf-8"))]


@pytest.fixture
def _sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pages run in an empty folder, with a non-interactive plotting backend."""
    monkeypatch.chdir(tmp_path)
    if importlib.util.find_spec("matplotlib") is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        yield
        plt.close("all")
    else:
        yield


class TestCodeBlocks:
    """Every Python block of every page runs, in order, in one namespace per page."""

    def test_pages_with_code_are_found(self) -> None:
        names = {_name(p) for p in _PAGES_WITH_CODE}
        assert {
            "index.md",
            "tutorials/taicang2022.md",
            "explanation/model.md",
            "README.md",
        } <= names

    @pytest.mark.usefixtures("_sandbox")
    @pytest.mark.parametrize("page", _PAGES_WITH_CODE, ids=[_name(p) for p in _PAGES_WITH_CODE])
    def test_page_runs(self, page: Path, request: pytest.FixtureRequest) -> None:
        text = page.read_text(encoding="utf-8")
        if "plotting" in text:
            pytest.importorskip("matplotlib")
        namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
        if "define_units(" in text:
            # A page that adds units gets a registry of its own.
            request.getfixturevalue("fresh_registry")
        for line, code in code_blocks(text):
            # Compiled with the page's name and line, so a failure points at the docs.
            exec(compile("\n" * (line - 1) + code, str(page), "exec"), namespace)


class TestBlockExtraction:
    """The extractor finds fenced Python and code cells, and nothing else."""

    def test_finds_python_fences_and_code_cells_in_order(self) -> None:
        text = (
            "```python\na = 1\n```\n\n```text\nnot code\n```\n\n"
            "```{code-cell} ipython3\n:tags: [hide-input]\nb = a + 1\n```\n"
        )
        assert [code for _, code in code_blocks(text)] == ["a = 1\n", "b = a + 1\n"]

    def test_reports_the_line_a_block_starts_on(self) -> None:
        assert code_blocks("# Title\n\n```python\nx = 1\n```\n") == [(4, "x = 1\n")]

    def test_a_failing_block_fails_its_page(
        self, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        page = tmp_path / "broken.md"
        page.write_text("```python\nraise ValueError('documented bug')\n```\n")
        with pytest.raises(ValueError, match="documented bug"):
            TestCodeBlocks().test_page_runs(page, request)


def _documented_names() -> set[str]:
    directive = re.compile(
        r"^\.\. (?:auto(?:class|function|exception|data|module)|py:data|py:function)::"
        r"[ \t]+policytargets\.(\w+)[ \t]*$",
        re.MULTILINE,
    )
    names: set[str] = set()
    for page in (DOCS / "reference").glob("*.md"):
        names.update(directive.findall(page.read_text(encoding="utf-8")))
    return names


class TestReference:
    """The hand-curated API reference documents every public name."""

    def test_every_public_name_is_documented(self) -> None:
        missing = sorted(set(pt.__all__) - _documented_names())
        assert missing == []

    def test_every_documented_name_is_public(self) -> None:
        # policytargets.testing is public but, like a test helper, not re-exported.
        assert sorted(_documented_names() - set(pt.__all__) - {"testing"}) == []

    def test_every_reference_page_is_in_the_reference_index(self) -> None:
        index = (DOCS / "reference" / "index.md").read_text(encoding="utf-8")
        for page in (DOCS / "reference").glob("*.md"):
            if page.name != "index.md":
                assert re.search(rf"^{page.stem}$", index, re.MULTILINE), page.name


def _check_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site", DOCS / "check_site.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestCheckSite:
    """docs/check_site.py finds broken relative links, anchors and images, and only those."""

    @pytest.fixture
    def site(self, tmp_path: Path) -> Path:
        (tmp_path / "sub").mkdir()
        (tmp_path / "img.png").write_bytes(b"\x89PNG")
        (tmp_path / "index.html").write_text(
            '<a href="sub/page.html#part">ok</a><img src="img.png">'
            '<a href="https://example.org/missing">external</a><a href="#top" id="top">x</a>'
        )
        (tmp_path / "sub" / "page.html").write_text('<h1 id="part">P</h1><a href="../">up</a>')
        return tmp_path

    def test_a_sound_site_passes(self, site: Path) -> None:
        assert _check_site().check(site) == []

    def test_a_missing_image_is_reported(self, site: Path) -> None:
        os.remove(site / "img.png")
        assert _check_site().check(site) == ["index.html: img[src] img.png: no such file"]

    def test_a_broken_link_and_a_missing_anchor_are_reported(self, site: Path) -> None:
        (site / "sub" / "page.html").write_text('<a href="gone.html">x</a><a href="../#nope">y</a>')
        problems = _check_site().check(site)
        assert problems == [
            "index.html: a[href] sub/page.html#part: no anchor #part",
            "sub/page.html: a[href] gone.html: no such file",
            "sub/page.html: a[href] ../#nope: no anchor #nope",
        ]
