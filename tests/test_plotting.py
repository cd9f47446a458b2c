"""Plots of assessments: they draw what they say, in Chinese when a CJK font exists."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402

import policytargets as pt  # noqa: E402
from policytargets import plotting  # noqa: E402
from policytargets.testing import plans  # noqa: E402

PLOTS = (plotting.plot_progress, plotting.plot_scorecard, plotting.plot_status_summary)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("POLICYTARGETS_CJK_FONT", "none")
    plotting.cjk_font.cache_clear()
    yield
    plotting.cjk_font.cache_clear()


@pytest.fixture
def cjk() -> str:
    plotting.cjk_font.cache_clear()
    font = plotting.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (pip install mpl-font)")
    return font


def _plan() -> pt.Plan:
    rate = pt.Indicator(
        id="pass-rate",
        name=pt.Label(zh="制造业产品质量合格率", en="Manufacturing pass rate"),
        kind="rate",
        unit="%",
    )
    # Chinese-only names: the English fallback must not draw them.
    food = pt.Indicator(
        id="food", name=pt.Label(zh="食品抽检"), kind="per_capita", unit="批次/千人"
    )
    accidents = pt.Indicator(
        id="accidents",
        name=pt.Label(zh="特种设备事故", en="Special equipment accidents"),
        kind="count",
        unit="起",
        basis="flow",
        direction="lower",
    )
    green = pt.Indicator(
        id="green", name=pt.Label(zh="新增绿地"), kind="amount", unit="万平方米", basis="flow"
    )
    lead = pt.Responsibility(owner="市市场监管局")
    support = pt.Responsibility(owner="市住建局", role="supporting")
    targets = (
        pt.Target(id="t1", indicator=rate, condition=pt.AtLeast(value=96.8), period="2022",
                  responsibilities=(lead,)),
        pt.Target(id="t2", indicator=food, condition=pt.AtLeast(value=7), period="2022",
                  responsibilities=(lead, support)),
        pt.Target(id="t3", indicator=accidents, condition=pt.Zero(), period="2022",
                  responsibilities=(lead,)),
        pt.Target(id="t4", indicator=green, condition=pt.AtLeast(value=10.9), period="2022",
                  aspirational=True, responsibilities=(pt.Responsibility(owner="市住建局"),)),
    )  # fmt: skip
    milestone = pt.Milestone(id="m1", name=pt.Label(zh="设立市长质量奖"), period="2022")
    return pt.Plan(
        id="demo",
        title=pt.Label(zh="示例计划"),
        period="2022",
        goals=(
            pt.Goal(id="g1", title=pt.Label(zh="质量水平"), section="二.(一)", targets=targets[:3]),
            pt.Goal(
                id="g2", title=pt.Label(zh="绿色发展"), targets=targets[3:], milestones=(milestone,)
            ),
        ),
        owners=(
            pt.Owner(id="市市场监管局", name=pt.Label(zh="市市场监管局")),
            pt.Owner(id="市住建局", name=pt.Label(zh="市住建局", en="Housing Bureau")),
        ),
    )


def _assessments(plan: pt.Plan) -> list[pt.Assessment]:
    observations = {
        "t1": "96.9%",
        "t2": pt.Observation(period="2022", value=6.5, unit="批次/千人"),
        "t3": pt.Observation(period="2022", value=0, unit="起"),
        "t4": pt.Observation(period="2022-H1", value=6, unit="万平方米"),
    }
    results = [pt.assess(t, observations[t.id]) for t in plan.targets]
    return [*results, pt.assess(plan.milestone("m1"), True)]


def _frame(results: list[pt.Assessment]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": [a.target_id for a in results],
            "period": [str(a.period) for a in results],
            "status": [a.status.value for a in results],
            "observed": [a.observed for a in results],
            "projected": [a.projected for a in results],
            "threshold": [a.threshold for a in results],
            "margin": [a.margin for a in results],
            "margin_unit": [a.margin_unit for a in results],
            "unit": [a.unit for a in results],
        }
    )


def _draw(ax: matplotlib.axes.Axes) -> None:
    ax.get_figure().savefig(io.BytesIO(), format="png")  # warnings are errors here


def _texts(ax: matplotlib.axes.Axes) -> str:
    return " ".join(t.get_text() for t in ax.findobj(matplotlib.text.Text))


class TestCjkFont:
    """cjk_font finds a font that draws Chinese, or says there is none."""

    def test_none_when_switched_off(self, no_cjk_font: None) -> None:
        assert plotting.cjk_font() is None

    def test_none_for_a_family_that_is_not_installed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("POLICYTARGETS_CJK_FONT", "No Such Font 12345")
        plotting.cjk_font.cache_clear()
        try:
            assert plotting.cjk_font() is None
        finally:
            plotting.cjk_font.cache_clear()

    def test_a_found_font_has_the_glyphs_of_our_labels(self, cjk: str) -> None:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font

        path = font_manager.findfont(
            font_manager.FontProperties(family=cjk), fallback_to_default=False
        )
        charmap = FT2Font(path).get_charmap()
        assert all(ord(c) in charmap for c in "制造业产品质量合格率达标未进度")


class TestPlotsInChinese:
    """With a CJK font, labels are Chinese and draw without a missing-glyph warning."""

    @pytest.mark.parametrize("plot", PLOTS)
    def test_draws_chinese_labels(self, plot: object, cjk: str) -> None:
        plan = _plan()
        ax = plot(plan, _assessments(plan))  # type: ignore[operator]
        _draw(ax)
        assert any("\u4e00" <= c <= "\u9fff" for c in _texts(ax))
        assert all(t.get_fontfamily()[0] == cjk for t in ax.get_yticklabels())


class TestPlotsInEnglish:
    """Without a CJK font the plots fall back to English, silently and without tofu."""

    @pytest.mark.parametrize("plot", PLOTS)
    @pytest.mark.parametrize("lang", [None, "zh", "en"])
    def test_no_chinese_character_is_drawn(
        self, plot: object, lang: str | None, no_cjk_font: None
    ) -> None:
        plan = _plan()
        ax = plot(plan, _assessments(plan), lang=lang)  # type: ignore[operator]
        _draw(ax)
        assert not any(c >= "\u2e80" for c in _texts(ax))

    def test_chinese_only_names_fall_back_to_target_ids(self, no_cjk_font: None) -> None:
        plan = _plan()
        ax = plotting.plot_progress(plan, _assessments(plan))
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == [
            "Manufacturing pass rate",
            "t2",
            "Special equipment accidents",
            "t4 (asp.)",
        ]


class TestPlotProgress:
    """plot_progress draws one bar per target, scaled so that 100 % is the threshold."""

    def test_accepts_a_frame_or_assessments_alike(self) -> None:
        plan = _plan()
        results = _assessments(plan)
        from_list = plotting.plot_progress(plan, results, lang="en")
        from_frame = plotting.plot_progress(plan, _frame(results), lang="en")
        assert _texts(from_list) == _texts(from_frame)

    def test_draws_on_the_axes_given(self) -> None:
        _, ax = plt.subplots()
        plan = _plan()
        assert plotting.plot_progress(plan, _assessments(plan), ax=ax, lang="en") is ax

    def test_bars_measure_the_judged_value_against_the_threshold(self) -> None:
        plan = _plan()
        results = _assessments(plan)
        projected = results[3].projected
        assert projected is not None
        ax = plotting.plot_progress(plan, results, lang="en")
        # Background bands and the zero target met at 0 are 1.0 wide; the rest are shares.
        widths = sorted(round(p.get_width(), 4) for p in ax.patches if p.get_width() != 1.0)
        expected = [96.9 / 96.8, 6.5 / 7, 6 / 10.9, projected / 10.9]
        assert widths == sorted(round(w, 4) for w in expected)

    def test_several_rows_for_a_target_are_refused_by_name(self) -> None:
        plan = _plan()
        frame = _frame(_assessments(plan))
        with pytest.raises(pt.InvalidValueError, match="one row per target"):
            plotting.plot_progress(plan, pd.concat([frame, frame]))

    def test_a_frame_without_status_is_refused_by_name(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="status"):
            plotting.plot_progress(_plan(), pd.DataFrame({"target_id": ["t1"]}))

    def test_an_unknown_language_is_refused(self) -> None:
        plan = _plan()
        with pytest.raises(pt.InvalidValueError, match="lang"):
            plotting.plot_progress(plan, _assessments(plan), lang="fr")  # type: ignore[arg-type]


class TestPlotScorecard:
    """plot_scorecard counts each owner's judged targets per goal."""

    def test_cells_give_met_over_judged(self) -> None:
        plan = _plan()
        ax = plotting.plot_scorecard(plan, _assessments(plan), lang="en", role="any")
        cells = sorted(t.get_text() for t in ax.texts)
        # 市市场监管局 leads t1 (met), t2 (not met), t3 (met); 市住建局 supports t2, leads t4.
        assert cells == ["0/1", "1/1", "2/3"]

    def test_lead_role_counts_only_what_an_owner_leads(self) -> None:
        plan = _plan()
        ax = plotting.plot_scorecard(plan, _assessments(plan), lang="en")
        assert sorted(t.get_text() for t in ax.texts) == ["1/1", "2/3"]

    def test_unranked_owners_each_count_the_targets_they_answer_for(self) -> None:
        """Taicang's notes rank nobody: each owner picked for a target counts it."""
        plan = pt.taicang2022.plan
        target = plan.target("farm-produce-pass-rate")
        ax = plotting.plot_scorecard(plan, [pt.assess(target, "99 %")], lang="zh")
        owners = [label.get_text() for label in ax.get_yticklabels()]
        assert owners == ["太仓市农业农村局", "各区镇"]

    def test_cells_without_a_judgement_show_a_dash(self) -> None:
        plan = _plan()
        results = [pt.assess(t, None) for t in plan.targets]
        ax = plotting.plot_scorecard(plan, results, lang="en")
        assert {t.get_text() for t in ax.texts} == {"–"}


class TestPlotStatusSummary:
    """plot_status_summary stacks status counts per goal, milestones included."""

    def test_counts_add_up_to_the_rows_given(self) -> None:
        plan = _plan()
        ax = plotting.plot_status_summary(plan, _assessments(plan), lang="en")
        assert sum(int(t.get_text()) for t in ax.texts) == 5

    def test_binding_and_aspirational_are_two_bars(self) -> None:
        plan = _plan()
        ax = plotting.plot_status_summary(plan, _assessments(plan), lang="en", by="aspirational")
        assert [t.get_text() for t in ax.get_yticklabels()] == ["binding", "aspirational"]

    @settings(max_examples=10, deadline=None)
    @given(plans())
    def test_any_plan_without_data_draws(self, plan: pt.Plan) -> None:
        results = [pt.assess(t, None) for t in plan.targets]
        results += [pt.assess(m, None) for m in plan.milestones]
        if not results:
            return
        ax = plotting.plot_status_summary(plan, results, lang="en")
        _draw(ax)
        assert sum(int(t.get_text()) for t in ax.texts) == len(results)
        plt.close("all")


class TestGoalDepth:
    """The goals that group a scorecard or a summary are chosen by depth."""

    def test_depth_one_groups_by_top_level_heading(self) -> None:
        plan = _plan()
        top = pt.Plan(
            id="nested",
            title=plan.title,
            period="2022",
            goals=(pt.Goal(id="root", title=pt.Label(en="Main goals"), goals=plan.goals),),
            owners=plan.owners,
        )
        results = _assessments(plan)
        deep = plotting.plot_status_summary(top, results, lang="en")
        shallow = plotting.plot_status_summary(top, results, lang="en", depth=1)
        assert len(deep.get_yticklabels()) == 2
        assert [t.get_text() for t in shallow.get_yticklabels()] == ["Main goals"]

    @pytest.mark.parametrize("depth", [0, -1, 1.5, True])
    def test_a_depth_below_one_is_refused(self, depth: object) -> None:
        plan = _plan()
        with pytest.raises(pt.InvalidValueError, match="depth"):
            plotting.plot_scorecard(plan, _assessments(plan), depth=depth)  # type: ignore[arg-type]


class TestProgressVisibility:
    """plot_progress shows small misses, zeros and values past the axis; every plot has alt text."""

    @staticmethod
    def _rate_plan() -> pt.Plan:
        rate = pt.Indicator(
            id="rate", name=pt.Label(zh="合格率", en="Pass rate"), kind="rate", unit="%"
        )
        accidents = pt.Indicator(
            id="accidents",
            name=pt.Label(zh="事故起数", en="Accidents"),
            kind="count",
            unit="起",
            basis="flow",
            direction="lower",
        )
        firms = pt.Indicator(
            id="firms",
            name=pt.Label(zh="企业数", en="Firms"),
            kind="count",
            unit="家",
            basis="stock",
        )
        targets = (
            pt.Target(id="rate", indicator=rate, condition=pt.AtLeast(value=97.5), period="2022"),
            pt.Target(
                id="accidents", indicator=accidents, condition=pt.AtMost(value=5), period="2022"
            ),
            pt.Target(id="firms", indicator=firms, condition=pt.AtLeast(value=10), period="2022"),
            pt.Target(id="many", indicator=firms, condition=pt.AtLeast(value=2), period="2022"),
        )
        goal = pt.Goal(
            id="g",
            title=pt.Label(zh="目标", en="Goal"),
            targets=targets,
            responsibilities=(pt.Responsibility(owner="o1", role="lead"),),
        )
        return pt.Plan(
            id="p",
            title=pt.Label(zh="计划", en="Plan"),
            period="2022",
            goals=(goal,),
            owners=(pt.Owner(id="o1", name=pt.Label(zh="市局", en="Bureau")),),
        )

    def _draw_progress(self) -> tuple[matplotlib.axes.Axes, pt.Plan]:
        plan = self._rate_plan()
        frame = pd.DataFrame(
            {
                "target_id": ["rate", "accidents", "firms", "many"],
                "period": ["2022"] * 4,
                "value": [97.3, 0.0, 0.0, 9.0],
                "unit": ["%", "起", "家", "家"],
            }
        )
        return plotting.plot_progress(plan, pt.evaluate(plan, frame), lang="en"), plan

    def test_a_small_miss_is_written_out(self) -> None:
        """97.3 % against 97.5 %: the row says -0.2 percentage points."""
        ax, _ = self._draw_progress()
        assert "-0.2 percentage points" in _texts(ax)

    def test_zero_and_past_the_axis_are_marked(self) -> None:
        """An observed 0 of a higher-is-better count gets a marker at 0; 0 accidents against
        at most 5, and 9 firms against 2, run past the axis and get an arrowhead."""
        ax, _ = self._draw_progress()
        markers = [line.get_marker() for line in ax.get_lines()]
        assert markers.count("|") == 1
        assert markers.count(">") == 2
        alt = plotting.alt_text(ax)
        assert "observed 0: firms" in alt
        assert "past the axis at 150%: accidents, many" in alt
        _draw(ax)

    def test_every_plot_has_alt_text(self) -> None:
        """Progress, scorecard, status summary and regions each describe themselves."""
        ax, plan = self._draw_progress()
        results = pt.evaluate(
            plan,
            pd.DataFrame(
                {
                    "target_id": ["rate", "rate"],
                    "region": ["East", "West"],
                    "period": ["2022", "2022"],
                    "value": [98.0, 97.0],
                    "unit": ["%", "%"],
                }
            ),
        )
        for axes in (
            ax,
            plotting.plot_scorecard(plan, results, lang="en", role="any"),
            plotting.plot_status_summary(plan, results, lang="en"),
            plotting.plot_regions(plan, results, lang="en"),
        ):
            text = plotting.alt_text(axes)
            assert len(text) > 40
            assert plotting.alt_text(axes.get_figure()) == text
        with pytest.raises(pt.InvalidValueError):
            plotting.alt_text(plt.subplots()[1])


class TestRegions:
    """plot_regions: targets × regions, coloured by status, annotated with margins."""

    def test_cells_and_misses(self) -> None:
        """One cell per (target, region); the region that misses is named in the alt text."""
        plan = TestProgressVisibility._rate_plan()
        frame = pd.DataFrame(
            {
                "target_id": ["rate", "rate", "firms", "firms"],
                "region": ["East", "West", "East", "West"],
                "period": ["2022"] * 4,
                "value": [98.0, 97.0, 12.0, 11.0],
                "unit": ["%", "%", "家", "家"],
            }
        )
        ax = plotting.plot_regions(plan, pt.evaluate(plan, frame), lang="en")
        assert [t.get_text() for t in ax.get_xticklabels()] == ["East", "West"]
        assert len(ax.patches) == 4
        assert "-0.5" in _texts(ax)
        assert "misses in West" in plotting.alt_text(ax)
        _draw(ax)

    def test_needs_the_column(self) -> None:
        """Without a region column: an error saying how to get one."""
        plan = TestProgressVisibility._rate_plan()
        results = pt.evaluate(
            plan,
            pd.DataFrame(
                {"target_id": ["rate"], "period": ["2022"], "value": [98.0], "unit": ["%"]}
            ),
        )
        with pytest.raises(pt.InvalidValueError, match="region"):
            plotting.plot_regions(plan, results)


class TestScorecardLabels:
    """Scorecard tick labels never overlap, however many goals."""

    def test_no_overlap(self) -> None:
        """The Taicang plan's goal labels (x) and owner labels (y) have disjoint boxes."""
        plan = pt.taicang2022.plan
        frame = pd.DataFrame(
            {
                "target_id": [t.id for t in plan.targets],
                "period": [str(t.period) for t in plan.targets],
                "value": [float("nan")] * len(plan.targets),
                "unit": [t.unit for t in plan.targets],
            }
        )
        ax = plotting.plot_scorecard(plan, pt.evaluate(plan, frame), role="any")
        figure = ax.get_figure()
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [label.get_window_extent(renderer) for label in labels if label.get_text()]
            for a, b in itertools.pairwise(boxes):
                assert not a.overlaps(b)
