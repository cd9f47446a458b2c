"""Check a built HTML site: every relative link and image must resolve.

Usage: ``python docs/check_site.py [docs/_build/html]``. Exits 1 and lists each broken
link or missing image (page, attribute, target); external links (``http:``, ``mailto:``…)
are not fetched. Anchors (``page.html#section``) must exist in the target page.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINKS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src")}


class _Page(HTMLParser):
    """Collects the links and the ids of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if (tag, name) in _LINKS:
                self.links.append((f"{tag}[{name}]", value))
            if tag == "img" and name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.links.append(("img[srcset]", part.split()[0]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def check(root: Path) -> list[str]:
    """Every broken relative link or missing image under ``root``, as messages."""
    pages = {p.resolve(): _parse(p) for p in root.rglob("*.html")}
    problems = []
    for path, page in sorted(pages.items()):
        for where, link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            shown = f"{path.relative_to(root.resolve())}: {where} {link}"
            if not target.exists():
                problems.append(f"{shown}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{shown}: no anchor #{parts.fragment}")
    if not pages:
        problems.append(f"{root}: no HTML pages (was the site built?)")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).parent / "_build" / "html")
    problems = check(root)
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in root.rglob("*.html"))
    print(f"{pages} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
