"""The policytargets command line, end to end, on taicang2022 and on bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import policytargets as pt
from policytargets._cli import main, markdown_table, text_table

DATA = Path(__file__).parent / "data"
OBSERVATIONS = DATA / "taicang2022_observations.csv"
EXAMPLE = Path(__file__).parents[1] / "examples" / "data" / "taicang2022_observations.csv"


@pytest.fixture(autouse=True)
def _arrow_pool() -> Any:
    """The evaluate command chooses pyarrow's allocator: the rest of the suite keeps its own."""
    import pyarrow as pa

    pool = pa.default_memory_pool()
    yield
    pa.set_memory_pool(pool)


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("policytargets: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


class TestShow:
    """``show PLAN`` prints a readable table of targets."""

    def test_builtin_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A built-in plan by name: header, then one row per target with words and owners."""
        code, out, err = _run(capsys, "show", "taicang2022", "--width", "0")
        assert (code, err) == (0, "")
        assert out.startswith("taicang2022: 2022年太仓市质量强市工作要点 (太政办〔2022〕64号)")
        assert "manufacturing-pass-rate" in out
        assert "达到96.8%以上" in out
        assert "各成员单位" in out
        n_targets = sum(1 for _ in pt.taicang2022.plan.targets)
        assert len(out.splitlines()) == 3 + 2 + n_targets

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_fits_a_100_column_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
    ) -> None:
        """Not a terminal: 100 columns; long cells wrap onto more lines, ids stay whole words."""
        from policytargets._text import text_width

        monkeypatch.delenv("COLUMNS", raising=False)
        code, out, _ = _run(capsys, "show", "taicang2022", "--lang", lang)
        assert code == 0
        lines = out.splitlines()
        assert max(text_width(line) for line in lines) <= 100
        assert max(text_width(line) for line in lines[3:]) == 100  # the space is used
        assert lines[5].startswith("manufacturing-  ")  # wrapped after a hyphen
        assert lines[6].startswith("pass-rate  ")
        if lang == "en":
            assert "、" not in out
            assert "Market Regulation," in out  # English owners joined with ", "

    def test_width_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--width 60 fits 60 columns; --width 0 is one line per target."""
        from policytargets._text import text_width

        _, out, _ = _run(capsys, "show", "taicang2022", "--width", "60")
        assert max(text_width(line) for line in out.splitlines()[3:]) <= 60

    def test_plan_file_in_english(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A plan file is read the same way, and --lang en describes conditions in English."""
        path = tmp_path / "plan.yaml"
        pt.dump_plan(pt.taicang2022.plan, path)
        code, out, _ = _run(capsys, "show", path, "--lang", "en")
        assert code == 0
        assert "at least 96.8%" in out

    def test_unknown_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A name that is neither a file nor a built-in plan is one line naming the built-ins."""
        code, out, err = _run(capsys, "show", "nosuchplan")
        assert (code, out) == (1, "")
        _assert_one_line_error(err, "nosuchplan", "taicang2022")

    def test_bad_plan_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad plan file is one line naming the file and the paths inside it."""
        code, _, err = _run(capsys, "show", DATA / "bad_fields.yaml")
        assert code == 1
        _assert_one_line_error(err, "bad_fields.yaml", "goals[0].targets[0].condition.value")

    @pytest.mark.parametrize(
        ("name", "text", "fragment"),
        [
            ("deep.json", '{"id": ' + "[" * 1000 + "]" * 1000 + "}", "nested more than 64"),
            ("key.yaml", "id: p\n[a, b]: 1\n", "line 2, column 1: a key must be text"),
            ("alias.yaml", "id: &a [*a]\n", "refers to the node itself"),
        ],
    )
    def test_hostile_plan_file(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        name: str,
        text: str,
        fragment: str,
    ) -> None:
        """Deep nesting, a list as a key, a recursive alias: one line, exit 1, no traceback."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, _, err = _run(capsys, "show", path)
        assert code == 1
        _assert_one_line_error(err, name, fragment)

    def test_csv_export_is_one_way(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A plan exported as CSV is refused as a plan, saying that CSV is one-way."""
        path = tmp_path / "targets.csv"
        assert _run(capsys, "export", "taicang2022", "--format", "csv", "--out", path)[0] == 0
        code, _, err = _run(capsys, "show", path)
        assert code == 1
        _assert_one_line_error(err, "targets.csv", "one-way", "--format yaml")


class TestEvaluate:
    """``evaluate PLAN OBSERVATIONS`` assesses every target."""

    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The default table shows status and margin per target."""
        code, out, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS)
        assert (code, err) == (0, "")
        row = next(line for line in out.splitlines() if "manufacturing-pass-rate" in line)
        assert row.split()[:4] == ["manufacturing-pass-rate", "制造业产品质量合格率", "2022", "met"]

    def test_csv_matches_the_library(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--format csv --out FILE writes what pt.evaluate returns."""
        out_file = tmp_path / "result.csv"
        code, out, _ = _run(
            capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "csv", "--out", out_file
        )
        assert (code, out) == (0, "")
        written = pd.read_csv(out_file, dtype={"period": str})
        expected = pt.evaluate(pt.taicang2022.plan, pt.read_observations(OBSERVATIONS))
        assert list(written["target_id"]) == list(expected["target_id"].astype(str))
        assert list(written["status"]) == list(expected["status"].astype(str))

    def test_the_shipped_example_observations(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The README's example data evaluates as it is, comment line and all: one row a target."""
        code, out, err = _run(capsys, "evaluate", "taicang2022", EXAMPLE, "--format", "csv")
        assert (code, err) == (0, "")
        written = pd.read_csv(io.StringIO(out), dtype={"period": str})
        assert len(written) == len(list(pt.taicang2022.plan.targets))
        assert set(written["status"]) >= {"met", "not_met", "no_data", "on_track"}

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json gives one record per row, Chinese kept readable."""
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "json")
        records = json.loads(out)
        assert code == 0
        first = records[0]
        assert (first["target_id"], first["status"]) == ("manufacturing-pass-rate", "met")
        assert "百分点" in out

    def test_markdown_and_html(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Markdown is a pipe table; HTML is a table element."""
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "markdown")
        assert code == 0
        assert out.splitlines()[0].startswith("| target_id | indicator | period | status |")
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "html")
        assert code == 0
        assert "<table" in out
        assert "manufacturing-pass-rate" in out

    def test_scoring_and_by_are_passed_on(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--scoring and --by reach pt.evaluate unchanged."""
        import policytargets._evaluation as module

        calls: list[dict[str, Any]] = []
        real = module.evaluate

        def spy(plan: pt.Plan, observations: Any, **kwargs: Any) -> Any:
            calls.append(kwargs)
            return real(plan, observations, **kwargs)

        monkeypatch.setattr(module, "evaluate", spy)
        code, _, _ = _run(
            capsys,
            "evaluate",
            "taicang2022",
            OBSERVATIONS,
            "--scoring",
            "growth_ratio",
        )
        assert code == 0
        assert calls[0]["scoring"] == "growth_ratio"
        assert calls[0]["by"] is None
        assert calls[0]["progress"] is False  # stderr is not a terminal under pytest

    def test_missing_observation_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing observation file is one line naming it."""
        code, _, err = _run(capsys, "evaluate", "taicang2022", DATA / "absent.csv")
        assert code == 1
        _assert_one_line_error(err, "absent.csv")

    def test_a_bad_plan_is_reported_before_bad_observations(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The file is read while the plan loads; the plan's error still comes first."""
        code, _, err = _run(
            capsys, "evaluate", DATA / "bad_syntax.json", DATA / "bad_observations.csv"
        )
        assert code == 1
        _assert_one_line_error(err, "line 6")
        assert "bad_observations.csv" not in err

    def test_bad_observations(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each bad observation is a line naming its file line; then one error line counts them."""
        code, _, err = _run(capsys, "evaluate", "taicang2022", DATA / "bad_observations.csv")
        assert code == 1
        failure, error = err.splitlines()
        assert failure == "line 2, column 'target_id', value 'no_such_target': unknown_id"
        _assert_one_line_error(error, "bad_observations.csv", "1 bad observation")

    def test_unknown_format_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An output format that does not exist exits with status 2."""
        code, _, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "pdf")
        assert code == 2
        assert "invalid choice" in err

    def test_out_suffix_picks_parquet(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--out FILE.parquet writes parquet that reads back equal; a summary goes to stderr."""
        out_file = tmp_path / "result.parquet"
        code, out, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file)
        assert (code, out) == (0, "")
        expected = pt.evaluate(pt.taicang2022.plan, pt.read_observations(OBSERVATIONS))
        pd.testing.assert_frame_equal(pd.read_parquet(out_file), expected)
        assert err.startswith(f"{out_file}: {len(expected)} rows (")
        assert "met" in err

    @pytest.mark.parametrize(
        ("name", "start"),
        [("result.txt", "target_id "), ("result", "target_id "), ("result.MD", "| target_id")],
    )
    def test_out_suffix_picks_the_text_formats(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, start: str
    ) -> None:
        """.txt and no suffix give the text table; suffixes are read in any case."""
        out_file = tmp_path / name
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file)
        assert (code, out) == (0, "")
        assert out_file.read_text(encoding="utf-8").startswith(start)

    @pytest.mark.parametrize("name", ["result.xlsx", "result.tsv", "result.pdf"])
    def test_out_suffix_without_a_format_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
    ) -> None:
        """--out with a suffix no format has exits 2 and writes nothing (it wrote a text table)."""
        out_file = tmp_path / name
        code, out, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file)
        assert (code, out) == (2, "")
        assert not out_file.exists()
        message = err.splitlines()[-1]
        assert f"--out {out_file}: no output format is known for {out_file.suffix!r}" in message
        assert "give --format" in message
        assert ("policytargets report" in message) == (name == "result.xlsx")

    def test_format_given_overrides_an_unknown_suffix(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--format decides, whatever the suffix of --out."""
        out_file = tmp_path / "result.tsv"
        code, _, _ = _run(
            capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "csv", "--out", out_file
        )
        assert code == 0
        assert out_file.read_text(encoding="utf-8").startswith('"target_id",')

    def test_quiet(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--quiet leaves stderr empty."""
        out_file = tmp_path / "result.csv"
        code, out, err = _run(
            capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file, "--quiet"
        )
        assert (code, out, err) == (0, "", "")
        assert out_file.read_text(encoding="utf-8").startswith('"target_id",')

    @pytest.mark.parametrize("chosen", [None, "system"])
    def test_arrow_memory_pool(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        chosen: str | None,
    ) -> None:
        """evaluate gives pyarrow jemalloc (or the system's), unless the environment chose.

        jemalloc returns freed pages after 0.1 s until the result is written, then keeps
        them (writing frees and makes the same buffers over and over).
        """
        import pyarrow as pa

        monkeypatch.setattr(pa, "set_memory_pool", lambda pool: chosen_pools.append(pool))
        monkeypatch.setattr(pa, "jemalloc_set_decay_ms", lambda ms: decays.append(ms))
        chosen_pools: list[Any] = []
        decays: list[int] = []
        if chosen is None:
            monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
        else:
            monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", chosen)
        out_file = tmp_path / "result.csv"
        code, _, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file)
        assert code == 0
        if chosen is None:
            assert [p.backend_name for p in chosen_pools] in (["jemalloc"], ["system"])
            jemalloc = chosen_pools[0].backend_name == "jemalloc"
            assert decays == ([100, -1] if jemalloc else [])
        else:
            assert (chosen_pools, decays) == ([], [])

    def test_parquet_observations(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A .parquet observation file (categorical columns and all) is read as it is."""
        frame = pt.read_observations(OBSERVATIONS)
        frame.astype({"target_id": "category", "unit": "category"}).to_parquet(
            tmp_path / "obs.parquet"
        )
        code, out, err = _run(
            capsys, "evaluate", "taicang2022", tmp_path / "obs.parquet", "--format", "csv"
        )
        assert (code, err) == (0, "")
        expected = pt.evaluate(pt.taicang2022.plan, frame)
        written = pd.read_csv(io.StringIO(out), dtype={"period": str})
        assert list(written["status"]) == list(expected["status"].astype(str))

    def test_parquet_needs_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Parquet is not written to a terminal: a usage error."""
        code, _, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "parquet")
        assert code == 2
        assert "--out" in err

    def test_bom(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--bom starts the CSV with a byte order mark; it is refused for other formats."""
        out_file = tmp_path / "result.csv"
        code, _, _ = _run(
            capsys, "evaluate", "taicang2022", OBSERVATIONS, "--out", out_file, "--bom"
        )
        assert code == 0
        assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")
        code, _, err = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--bom")
        assert code == 2
        assert "--bom" in err

    def test_table_names_the_indicator(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The default table shows each target's indicator, in --lang."""
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--lang", "en")
        assert code == 0
        assert out.splitlines()[0].split()[:3] == ["target_id", "indicator", "period"]
        name = pt.taicang2022.plan.target("manufacturing-pass-rate").indicator.name.en
        assert name is not None
        assert name in out
        assert "score" not in out.splitlines()[0]

    def test_scoring_shows_the_score(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--scoring adds the score column to the table."""
        code, out, _ = _run(
            capsys, "evaluate", "taicang2022", EXAMPLE, "--scoring", "current_status_index"
        )
        assert code == 0
        assert out.splitlines()[0].split()[-1] == "score"

    def test_markdown_and_html_escape_plan_text(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Plan text never reaches Markdown or HTML as markup."""
        hostile = "<img src=x onerror=alert(1)>"
        name = pt.Label(en=hostile, zh=hostile)
        indicator = pt.Indicator(id="i", name=name, kind="rate", unit="%")
        condition = pt.AtLeast(value=50)
        target = pt.Target(id="t", indicator=indicator, condition=condition, period="2022")
        goal = pt.Goal(id="g", title=pt.Label(en="g"), targets=(target,))
        plan = pt.Plan(id="p", title=pt.Label(en=hostile), period="2022", goals=(goal,))
        pt.dump_plan(plan, tmp_path / "plan.json")
        (tmp_path / "obs.csv").write_text("target_id,period,value,unit\nt,2022,60,%\n")
        args = ("evaluate", tmp_path / "plan.json", tmp_path / "obs.csv")
        code, out, _ = _run(capsys, *args, "--format", "markdown")
        assert code == 0
        assert "<img" not in out
        assert "&lt;img src=x onerror=alert(1)&gt;" in out
        code, out, _ = _run(capsys, *args, "--format", "html", "--lang", "en")
        assert code == 0
        assert "<img" not in out
        assert out.count("&lt;img src=x onerror=alert(1)&gt;") == 3  # title, heading, cell

    def test_html_is_a_whole_page(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format html writes a page with its charset and coloured statuses."""
        code, out, _ = _run(capsys, "evaluate", "taicang2022", OBSERVATIONS, "--format", "html")
        assert code == 0
        assert out.startswith("<!DOCTYPE html>")
        assert '<meta charset="utf-8">' in out
        assert 'class="s-met"' in out
        assert "policytargets report" in out
        assert out.rstrip().endswith("</html>")


class TestValidate:
    """``validate`` checks a plan file, or observations against a plan, listing every problem."""

    def test_valid_plan(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A good plan file is reported valid with its size."""
        path = tmp_path / "plan.json"
        pt.dump_plan(pt.taicang2022.plan, path)
        code, out, err = _run(capsys, "validate", path)
        assert (code, err) == (0, "")
        assert "valid plan taicang2022" in out

    def test_bad_plan_lists_every_problem(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every bad field is a line on stdout; stderr has one line counting them."""
        code, out, err = _run(capsys, "validate", DATA / "bad_references.json")
        assert code == 1
        assert out.splitlines() == [
            "owners[1].id: owner id 'o1' is used twice",
            "goals[0].responsibilities[0].owner: unknown owner 'nobody'; "
            "the plan's owners are 'o1'",
            "goals[0].goals[0].id: id 'g' is used twice in the plan",
        ]
        _assert_one_line_error(err, "3 problems")

    def test_valid_observations(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Observations that fit the plan are reported valid."""
        code, out, _ = _run(capsys, "validate", OBSERVATIONS, "--plan", "taicang2022")
        assert code == 0
        assert "valid for plan taicang2022" in out

    def test_bad_observations_list_every_row(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each bad observation row is a line naming its row, column and reason."""
        code, out, err = _run(
            capsys, "validate", DATA / "bad_observations.csv", "--plan", "taicang2022"
        )
        assert code == 1
        assert out.splitlines() == [
            "line 2, column 'target_id', value 'no_such_target': unknown_id"
        ]
        _assert_one_line_error(err, "1 problem")

    def test_observations_need_a_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An observation file without --plan is a usage error."""
        code, _, err = _run(capsys, "validate", OBSERVATIONS)
        assert code == 2
        assert "--plan" in err.splitlines()[-1]


class TestExport:
    """``export PLAN`` writes YAML, JSON or a CSV of the targets."""

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_export_round_trips(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
    ) -> None:
        """An exported plan file loads back as the same plan."""
        path = tmp_path / f"plan.{fmt}"
        code, out, _ = _run(capsys, "export", "taicang2022", "--format", fmt, "--out", path)
        assert (code, out) == (0, "")
        assert pt.load_plan(path) == pt.taicang2022.plan

    @pytest.mark.parametrize("name", ["plan.json", "plan.JSON", "plan.yml", "plan.yaml", "plan"])
    def test_export_format_follows_the_out_suffix(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
    ) -> None:
        """Without --format, --out plan.json is JSON (it was YAML); no suffix: YAML."""
        path = tmp_path / name
        code, out, _ = _run(capsys, "export", "taicang2022", "--out", path)
        assert (code, out) == (0, "")
        text = path.read_text(encoding="utf-8")
        assert text.startswith("{") == name.lower().endswith(".json")
        if name != "plan":
            assert pt.load_plan(path) == pt.taicang2022.plan

    def test_export_csv_follows_the_out_suffix(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--out targets.csv is the CSV table of targets."""
        path = tmp_path / "targets.csv"
        code, _, _ = _run(capsys, "export", "taicang2022", "--out", path)
        assert code == 0
        assert list(pd.read_csv(path).columns) == list(pt.TARGET_COLUMNS)

    def test_export_unknown_out_suffix_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--out plan.txt without --format exits 2, naming known suffixes; --format decides."""
        path = tmp_path / "plan.txt"
        code, _, err = _run(capsys, "export", "taicang2022", "--out", path)
        assert code == 2
        assert not path.exists()
        assert "no output format is known for '.txt' (known: .csv, .json, .yaml, .yml)" in err
        code, _, _ = _run(capsys, "export", "taicang2022", "--format", "json", "--out", path)
        assert code == 0
        assert pt.load_plan(path.rename(tmp_path / "plan.json")) == pt.taicang2022.plan

    def test_export_to_stdout_is_yaml(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --format and --out, YAML goes to stdout."""
        code, out, _ = _run(capsys, "export", "taicang2022")
        assert code == 0
        assert out.startswith("format_version: 1\n")

    def test_export_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CSV export is the targets frame, owners joined with 、."""
        code, out, _ = _run(capsys, "export", "taicang2022", "--format", "csv")
        assert code == 0
        frame = pd.read_csv(io.StringIO(out), dtype={"period": str})
        assert list(frame.columns) == list(pt.TARGET_COLUMNS)
        assert len(frame) == sum(1 for _ in pt.taicang2022.plan.targets)

    def test_unwritable_output(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An output path in a missing directory is one line naming it."""
        out_file = tmp_path / "missing" / "plan.yaml"
        code, _, err = _run(capsys, "export", "taicang2022", "--out", out_file)
        assert code == 1
        _assert_one_line_error(err, "No such file or directory")

    def test_bad_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A plan file with a syntax error is one line giving the line number."""
        code, _, err = _run(capsys, "export", DATA / "bad_syntax.json")
        assert code == 1
        _assert_one_line_error(err, "line 6")


class TestRenderers:
    """The small table renderers need no extra packages."""

    def test_text_table_aligns_chinese(self) -> None:
        """Columns line up when cells hold double-width characters."""
        frame = pd.DataFrame({"name": ["质量", "ab"], "value": [1.5, 10.0]})
        lines = text_table(frame).splitlines()
        assert lines[:2] == ["name  value", "----  -----"]
        assert lines[2] == "质量    1.5"
        assert lines[3] == "ab       10"

    def test_markdown_escapes_pipes(self) -> None:
        """A | inside a cell is escaped, numbers are right-aligned, missing values empty."""
        frame = pd.DataFrame({"text": ["a|b"], "n": [float("nan")]})
        assert markdown_table(frame) == "| text | n |\n|:---|---:|\n| a\\|b |  |\n"


class TestProgram:
    """The installed entry points."""

    def test_python_dash_m(self) -> None:
        """``python -m policytargets`` runs the same command line in a fresh process."""
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [sys.executable, "-m", "policytargets", "show", "taicang2022"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "达到96.8%以上" in done.stdout

    def test_python_dash_m_bad_input(self) -> None:
        """A bad input in a fresh process exits 1 with one line and no traceback."""
        done = subprocess.run(
            [sys.executable, "-m", "policytargets", "validate", str(DATA / "bad_fields.yaml")],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert done.returncode == 1
        _assert_one_line_error(done.stderr, "problems")

    def test_no_command_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a command, usage is printed and the status is 2."""
        code, _, err = _run(capsys)
        assert code == 2
        assert "usage: policytargets" in err

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the library version."""
        code, out, _ = _run(capsys, "--version")
        assert (code, out.strip()) == (0, f"policytargets {pt.__version__}")


class _Ended(Exception):
    """``os._exit`` as the tests below replace it: the process would have ended here."""


class _Stream(io.StringIO):
    """A text stream that notes each flush in ``events`` and may refuse it."""

    def __init__(self, name: str, events: list[str], fail: bool = False) -> None:
        super().__init__()
        self.name, self.events, self.fail = name, events, fail

    def flush(self) -> None:
        if self.fail:
            raise BrokenPipeError(32, "Broken pipe")
        self.events.append(f"flush {self.name}")


class TestConsole:
    """The installed program ends its process as soon as its output is flushed."""

    def _console(
        self, monkeypatch: pytest.MonkeyPatch, *args: str | Path, fail: bool = False
    ) -> tuple[list[str], str, str]:
        """``console()`` on ``args``: the events (flushes, exit) and stdout and stderr."""
        from policytargets._cli import console

        events: list[str] = []

        def exit_(code: int) -> None:
            events.append(f"exit {code}")
            raise _Ended

        out, err = _Stream("stdout", events, fail), _Stream("stderr", events)
        monkeypatch.setattr(os, "_exit", exit_)
        monkeypatch.setattr(sys, "argv", ["policytargets", *map(str, args)])
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        try:
            code = console()
        except _Ended:
            pass
        else:
            events.append(f"returned {code}")
        return events, out.getvalue(), err.getvalue()

    def test_flushed_then_ended_with_the_status(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The same output as main(), stdout and stderr flushed, then os._exit(status)."""
        args = ("evaluate", "taicang2022", OBSERVATIONS, "--format", "csv")
        events, out, err = self._console(monkeypatch, *args)
        assert events[-3:] == ["flush stdout", "flush stderr", "exit 0"]
        monkeypatch.undo()
        assert (out, err) == (_run(capsys, *args)[1], "")

    def test_a_bad_input_ends_with_status_1_after_its_message(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        missing = tmp_path / "missing.csv"
        events, out, err = self._console(monkeypatch, "evaluate", "taicang2022", missing)
        assert events[-3:] == ["flush stdout", "flush stderr", "exit 1"]
        assert out == ""
        _assert_one_line_error(err, "missing.csv")

    def test_output_that_cannot_be_flushed_exits_the_usual_way(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A closed pipe: no os._exit; the interpreter's own exit reports it, as before."""
        events, _, _ = self._console(monkeypatch, "--version", fail=True)
        assert events == ["returned 0"]

    @pytest.mark.parametrize(("given", "used"), [(None, "1"), ("3", "3")])
    def test_openblas_starts_no_thread_unless_told_to(
        self, monkeypatch: pytest.MonkeyPatch, given: str | None, used: str
    ) -> None:
        """Its thread, started when numpy is imported, spun ~0.1 s of CPU beside the read."""
        if given is None:
            monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
        else:
            monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
        self._console(monkeypatch, "--version")
        assert os.environ["OPENBLAS_NUM_THREADS"] == used

    def test_a_fresh_process_writes_all_its_output(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """``python -m policytargets`` to stdout and to a file: every byte main() writes."""
        args = ["evaluate", "taicang2022", str(OBSERVATIONS), "--format", "csv"]
        _, expected, _ = _run(capsys, *args)
        env = {**os.environ, "PYTHONPATH": str(Path(pt.__file__).parents[1])}
        program = [sys.executable, "-m", "policytargets", *args]
        done = subprocess.run(program, capture_output=True, env=env, check=False)
        assert (done.returncode, done.stderr) == (0, b"")
        assert done.stdout.decode("utf-8") == expected
        out = tmp_path / "r.csv"
        done = subprocess.run([*program, "--out", out], capture_output=True, env=env, check=False)
        assert done.returncode == 0
        assert done.stderr.decode("utf-8").startswith(f"{out}: ")
        assert out.read_text(encoding="utf-8") == expected


class TestShowStartsFast:
    """``show`` on a plan file imports no pandas (its start-up is most of the wait)."""

    def test_no_pandas(self, tmp_path: Path) -> None:
        _show_in_a_new_process(
            tmp_path,
            "assert out.getvalue().startswith('taicang2022: ')\n"
            "assert 'pandas' not in sys.modules, 'show imported pandas'\n",
        )


def _show_in_a_new_process(tmp_path: Path, checks: str) -> None:
    """``main(['show', plan])`` in a fresh interpreter, then the Python lines ``checks``."""
    pt.dump_plan(pt.taicang2022.plan, tmp_path / "plan.json")
    code = (
        "import io, contextlib, sys\n"
        "from policytargets._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['show', {str(tmp_path / 'plan.json')!r}]) == 0\n"
    ) + checks
    env = {**os.environ, "PYTHONPATH": str(Path(pt.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


class TestStartUp:
    """The command's own process imports neither dask (through pint) nor pkg_resources."""

    def test_evaluate_imports_no_dask_nor_pkg_resources(self, tmp_path: Path) -> None:
        pytest.importorskip("dask")
        pt.dump_plan(pt.taicang2022.plan, tmp_path / "plan.json")
        (tmp_path / "obs.csv").write_text(
            "target_id,period,value,unit\nmanufacturing-pass-rate,2022,97,%\n", encoding="utf-8"
        )
        args = ["evaluate", str(tmp_path / "plan.json"), str(tmp_path / "obs.csv"), "--quiet"]
        code = (
            "import io, contextlib, sys\n"
            "from policytargets._cli import main\n"
            f"sys.argv = ['policytargets', *{args!r}, '--out', {str(tmp_path / 'r.csv')!r}]\n"
            "assert main() == 0\n"
            "import pint.compat\n"
            "assert not pint.compat.HAS_DASK, 'pint made room for dask'\n"
            "assert 'dask' not in sys.modules, 'dask imported or left blocked'\n"
            "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported'\n"
            "import dask\n"  # not blocked any more
            "assert main(['show', sys.argv[2]]) == 0\n"
        )
        env = {**os.environ, "PYTHONPATH": str(Path(pt.__file__).parents[1])}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert '"met"' in (tmp_path / "r.csv").read_text(encoding="utf-8")

    def test_called_with_arguments_pint_is_left_as_it_is(self, tmp_path: Path) -> None:
        """main(argv), as from Python, may run beside a user's code: pint still sees dask."""
        pytest.importorskip("dask")
        _show_in_a_new_process(tmp_path, "import pint.compat\nassert pint.compat.HAS_DASK\n")


class TestPlanOwnUnitsInObservationFiles:
    """An observation file may use the units a plan file defines (it was refused as unparsable)."""

    PLAN = Path(__file__).parent / "data" / "plan_with_units.yaml"

    def test_evaluate(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        observations = tmp_path / "teu.csv"
        observations.write_text(
            "target_id,period,value,unit\nteu,2025,801,万标准箱\n", encoding="utf-8"
        )
        code, out, err = _run(capsys, "evaluate", self.PLAN, observations, "--format", "csv")
        assert (code, err) == (0, "")
        assert '"teu","2025","met"' in out

    def test_validate(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        observations = tmp_path / "teu.csv"
        observations.write_text(
            "target_id,period,value,unit\nteu,2025,801,万标准箱\n", encoding="utf-8"
        )
        code, out, _ = _run(capsys, "validate", "--plan", self.PLAN, observations)
        assert code == 0
        assert "1 observations valid" in out

    def test_a_unit_no_one_defines_is_still_refused(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        observations = tmp_path / "bad.csv"
        observations.write_text(
            "target_id,period,value,unit\nteu,2025,801,万标准盒\n", encoding="utf-8"
        )
        code, _, err = _run(capsys, "evaluate", self.PLAN, observations, "--format", "csv")
        assert code == 1
        assert "line 2, column 'unit', value '万标准盒': unparsable_unit" in err
