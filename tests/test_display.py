"""Plain reprs, notebook HTML and styled result tables."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets._display import STATUS_COLOURS, short_repr, status_label, to_html
from policytargets.testing import plans

HOSTILE = '<script>alert("x")</script>&'


def _rate(name: pt.Label | None = None) -> pt.Indicator:
    return pt.Indicator(
        id="pass-rate",
        name=name or pt.Label(zh="制造业产品质量合格率", en="Manufacturing product pass rate"),
        kind="rate",
        unit="%",
    )


def _plan(targets: int = 1, *, title: pt.Label | None = None, url: str | None = None) -> pt.Plan:
    rate = _rate()
    owner = pt.Owner(id="scjg", name=pt.Label(zh="市市场监管局", en="Market Regulation Bureau"))
    goal = pt.Goal(
        id="g1",
        title=pt.Label(zh="质量水平持续提高", en="Quality keeps improving"),
        section="二.(一)",
        targets=tuple(
            pt.Target(
                id=f"t{i}",
                indicator=rate,
                condition=pt.AtLeast(value=96.8),
                period="2022",
                responsibilities=(pt.Responsibility(owner="scjg"),),
            )
            for i in range(targets)
        ),
    )
    return pt.Plan(
        id="demo",
        title=title or pt.Label(zh="示例计划", en="Demo plan"),
        period="2022",
        goals=(goal,),
        owners=(owner,),
        url=url,
    )


class TestShortRepr:
    """A plain repr is one short line that names the object and its essentials."""

    @settings(max_examples=25, deadline=None)
    @given(plans())
    def test_every_model_repr_is_one_line(self, plan: pt.Plan) -> None:
        texts = [repr(plan), *(repr(t) for t in plan.targets)]
        texts += [short_repr(g) for g in plan.goals_flat()]
        for text in texts:
            assert "\n" not in text
            assert text.startswith("<")
            assert text.endswith(">")

    def test_plan_repr_names_id_title_and_counts(self) -> None:
        assert repr(_plan(3)) == "<Plan 'demo' '示例计划' 2022: 3 targets, 0 milestones, 1 owners>"

    def test_goal_repr_names_section_and_title(self) -> None:
        goal = _plan(2).goal("g1")
        assert short_repr(goal) == "<Goal 'g1' 二.(一) '质量水平持续提高': 2 targets, 0 sub-goals>"

    def test_target_repr_says_the_target_in_plan_words(self) -> None:
        target = _plan().target("t0")
        assert repr(target) == "<Target 't0' '制造业产品质量合格率达到96.8%以上' 2022>"

    def test_assessment_repr_gives_status_observed_and_margin_with_units(self) -> None:
        result = pt.assess(_plan().target("t0"), "96.9%")
        assert re.fullmatch(
            r"<Assessment 't0' met 2022: observed 96\.9 %, margin \+0\.1 百分点>", repr(result)
        )

    def test_assessment_without_data_says_no_data_only(self) -> None:
        assert repr(pt.assess(_plan().target("t0"), None)) == "<Assessment 't0' no_data 2022>"

    def test_long_titles_are_cut_with_an_ellipsis(self) -> None:
        text = repr(_plan(title=pt.Label(zh="长" * 200)))
        assert "…" in text
        assert len(text) < 130


class TestHtml:
    """Notebook HTML shows both languages, units and status colours, and escapes plan text."""

    def test_plan_html_shows_both_languages_and_the_targets(self) -> None:
        html = _plan(2)._repr_html_()
        assert "示例计划" in html
        assert "Demo plan" in html
        assert "达到96.8%以上" in html
        assert "at least 96.8%" in html
        assert "<b>市市场监管局</b>" in html  # the lead owner, in bold

    def test_plan_html_stays_compact_for_a_large_plan(self) -> None:
        html = _plan(80)._repr_html_()
        assert "… and 30 more" in html
        assert html.count("<tr>") < 70

    @settings(max_examples=25, deadline=None)
    @given(text=st.text(min_size=1, max_size=20).filter(lambda s: s.strip()))
    def test_names_never_reach_the_html_unescaped(self, text: str) -> None:
        name = pt.Label(zh=HOSTILE + text.strip(), en=HOSTILE)
        goal = pt.Goal(id="g", title=name, section=HOSTILE, text=HOSTILE)
        for html in (to_html(_plan(title=name)), to_html(goal)):
            assert "<script>" not in html
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html

    def test_indicator_names_and_clause_text_are_escaped(self) -> None:
        target = pt.Target(
            id="t",
            indicator=_rate(pt.Label(zh=HOSTILE, en=HOSTILE)),
            condition=pt.AtLeast(value=1),
            period="2022",
            source=pt.SourceClause(section="一", text=HOSTILE),
        )
        assessment = pt.assess(target, "2%")
        for html in (target._repr_html_(), assessment._repr_html_()):
            assert "<script>" not in html

    def test_only_web_urls_become_links(self) -> None:
        assert '<a href="https://example.org/?a=1&amp;b=2"' in to_html(
            _plan(url="https://example.org/?a=1&b=2")
        )
        html = to_html(_plan(url="javascript:alert(1)"))
        assert "<a " not in html
        assert "javascript:alert(1)" in html

    def test_assessment_html_has_the_status_colour_and_labels(self) -> None:
        html = pt.assess(_plan().target("t0"), "96.0%")._repr_html_()
        assert STATUS_COLOURS["not_met"][0] in html
        assert "未达标 · not met" in html
        assert "百分点" in html
        assert "percentage points" in html

    def test_units_are_shown_in_both_languages(self) -> None:
        food = pt.Indicator(
            id="food", name=pt.Label(zh="食品抽检"), kind="per_capita", unit="批次/千人"
        )
        target = pt.Target(id="t", indicator=food, condition=pt.AtLeast(value=7), period="2022")
        assert "batches per 1,000 persons" in target._repr_html_()

    def test_other_objects_fall_back_to_an_escaped_repr(self) -> None:
        assert to_html(HOSTILE).startswith("<pre>&lt;str object")


def _results() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": ["t1", HOSTILE],
            "period": ["2022", "2022"],
            "status": ["met", "no_data"],
            "observed": [96.9, math.nan],
            "unit": ["%", "批次/千人"],
            "coverage": [1.0, 0.0],
        }
    )


class TestStyleAssessments:
    """style_assessments colours statuses and renders units, without changing the frame."""

    @pytest.fixture(autouse=True)
    def _needs_jinja2(self) -> None:
        pytest.importorskip("jinja2")  # pandas' own requirement for styling

    def test_status_cells_get_their_colours_and_labels(self) -> None:
        html = pt.plotting.style_assessments(_results()).to_html()
        assert f"background-color: {STATUS_COLOURS['met'][0]}" in html
        assert f"background-color: {STATUS_COLOURS['no_data'][0]}" in html
        assert ">no data<" in html

    def test_chinese_labels_and_units_on_request(self) -> None:
        html = pt.plotting.style_assessments(_results(), lang="zh").to_html()
        assert ">达标<" in html
        assert ">批次/千人<" in html

    def test_english_units_are_spelled_out(self) -> None:
        html = pt.plotting.style_assessments(_results()).to_html()
        assert ">batches per 1,000 persons<" in html
        assert ">100%<" in html
        assert ">–<" in html

    @pytest.mark.parametrize("unit", ["个", "张", "座"])
    def test_counting_words_without_english_keep_their_unit(self, unit: str) -> None:
        """个, 张, 座 have no English word: the English table shows them as written."""
        frame = pd.DataFrame({"target_id": ["t"], "status": ["met"], "unit": [unit]})
        html = pt.plotting.style_assessments(frame, lang="en").to_html()
        assert f">{unit}<" in html

    def test_text_from_the_data_is_escaped(self) -> None:
        html = pt.plotting.style_assessments(_results()).to_html()
        assert "<script>" not in html

    def test_the_frame_is_left_unchanged(self) -> None:
        frame = _results()
        pt.plotting.style_assessments(frame)
        pd.testing.assert_frame_equal(frame, _results())

    def test_a_frame_without_status_is_refused_by_name(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="status"):
            pt.plotting.style_assessments(pd.DataFrame({"target_id": ["t"]}))


class TestStatusLabels:
    """Every status has a Chinese and an English label and a colour."""

    @pytest.mark.parametrize("status", list(pt.Status))
    def test_each_status_is_labelled_and_coloured(self, status: pt.Status) -> None:
        assert status.value in STATUS_COLOURS
        assert status_label(status.value, "zh") != status_label(status.value, "en")


class TestCardsInNotebooks:
    """Cards override the table rules JupyterLab and nbconvert apply to rendered HTML."""

    @staticmethod
    def _specificity(selector: str) -> tuple[int, int]:
        classes = selector.count(".") + selector.count(":")
        elements = len([p for p in re.split(r"[\s>]+", selector) if p and p[0].isalpha()])
        return classes, elements

    def test_more_specific_than_the_notebook_rules(self) -> None:
        """Left-aligned, top-aligned, not centred, auto layout; beats (class, element)."""
        html = pt.taicang2022.plan._repr_html_()
        css = html[html.index("<style>") + 7 : html.index("</style>")]
        rules = dict(re.findall(r"([^{}]+)\{([^{}]*)\}", css))
        table = rules["div.pt-card table"]
        assert "margin-left:0" in table
        assert "table-layout:auto" in table
        cells = rules["div.pt-card th,div.pt-card td"]
        assert "text-align:left" in cells
        assert "vertical-align:top" in cells
        notebook = (".jp-RenderedHTMLCommon td", ".rendered_html table")
        for ours in ("div.pt-card table", "div.pt-card td"):
            assert all(self._specificity(ours) > self._specificity(s) for s in notebook)
