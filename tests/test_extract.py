"""Drafting a plan from a document's text: ``extract_plan`` and ``policytargets extract``."""

from __future__ import annotations

import importlib.util
import io
import math
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytargets as pt
from policytargets import taicang2022
from policytargets._cli import main
from policytargets._extract._rules import NON_TARGETS
from policytargets._extract._targets import CLAUSE_RULES
from policytargets._extract._wording import (
    PENDING,
    PREFIXES,
    SUFFIXES,
    UNIT_READINGS,
    Reading,
    condition_of,
    find_prefix,
    find_suffix,
    find_unit_reading,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = taicang2022.SOURCE_TEXT


def _one_year(body: str) -> str:
    return f"2022年某市质量工作要点\n\n一、主要目标\n\n{body}\n"


def _draft(body: str) -> tuple[pt.Plan, pt.ExtractionReport]:
    return pt.extract_plan(_one_year(body))


def _only(body: str) -> pt.Target:
    plan, _ = _draft(body)
    targets = list(plan.targets)
    assert len(targets) == 1, [t.source.text for t in targets if t.source]
    return targets[0]


def _match(drafted: list[pt.Target], key: list[pt.Target], text: str) -> int:
    """How many key targets a drafted target matches by overlapping span and equal value."""
    used: set[int] = set()
    matched = 0
    for k in key:
        assert k.source is not None
        ks = text.find(k.source.text)
        ke = ks + len(k.source.text)
        for i, d in enumerate(drafted):
            assert d.source is not None
            ds = text.find(d.source.text)
            de = ds + len(d.source.text)
            same = (k.condition.value is None and d.condition.value is None) or (
                k.condition.value is not None
                and d.condition.value is not None
                and math.isclose(k.condition.value, d.condition.value)
            )
            if i not in used and ds < ke and ks < de and same:
                used.add(i)
                matched += 1
                break
    return matched


class TestTaicang:
    """The Taicang work points: the draft matches the hand encoding."""

    def test_cli_draft_loads_and_matches_the_answer_key(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        document = tmp_path / "taicang.txt"
        document.write_text(SEED, encoding="utf-8")
        out = tmp_path / "draft.yaml"
        assert main(["extract", str(document), "--out", str(out)]) == 0
        plan = pt.load_plan(out)
        drafted = list(plan.targets)
        key = list(taicang2022.plan.targets)
        matched = _match(drafted, key, SEED)
        assert matched / len(key) >= 0.95
        assert matched / len(drafted) >= 0.95
        assert "draft targets" in capsys.readouterr().err

    def test_every_quotation_is_the_inputs_words_at_its_offsets(self) -> None:
        plan, report = pt.extract_plan(SEED)
        for entry in report.targets:
            assert SEED[entry.start : entry.end] == entry.quote
            assert plan.target(entry.target_id).source == pt.SourceClause(
                section=plan.section_of(entry.target_id), text=entry.quote
            )

    def test_comparators_and_aspirational_flags_agree_with_the_key(self) -> None:
        plan, _ = pt.extract_plan(SEED)
        by_quote: dict[str, list[pt.Target]] = {}
        for t in plan.targets:
            assert t.source is not None
            by_quote.setdefault(t.source.text, []).append(t)
        for k in taicang2022.plan.targets:
            assert k.source is not None
            same = [
                t for t in by_quote.get(k.source.text, ()) if t.condition.value == k.condition.value
            ]
            if same:
                assert same[0].condition.comparator == k.condition.comparator, k.id
                assert same[0].aspirational == k.aspirational, k.id

    def test_metadata_structure_and_owners(self) -> None:
        plan, report = pt.extract_plan(SEED, id="tc")
        assert plan.title.zh == "2022年太仓市质量强市工作要点"
        assert plan.document_number == "太政办〔2022〕64号"
        assert plan.issuer is not None
        assert plan.issuer.zh == "太仓市人民政府办公室"
        assert str(plan.issued) == "2022-06-02"
        assert str(plan.published) == "2022-06-06"
        assert str(plan.period) == "2022"
        green = next(t for t in plan.targets if "绿地" in t.indicator.name.zh)
        assert plan.section_of(green.id) == "三.(四).15"
        # 市 prefix distribution: 工信局 after 市工信局 is 市工信局's neighbour 市市场监管局.
        owners = {r.owner for r in plan.goal("3.1.1").responsibilities}
        assert owners == {"市工信局", "市市场监管局", "市发改委", "各区镇"}
        assert plan.owner("各区镇").kind is pt.OwnerKind.COLLECTIVE
        assert report.unread == ()

    def test_numbers_in_names_dates_and_document_numbers_are_not_targets(self) -> None:
        plan, report = pt.extract_plan(SEED)
        quotes = " ".join(t.source.text for t in plan.targets if t.source)
        for name in ("510中国品牌日", "G60", "2.0版", "双12", "昆仑2022", "第7次"):
            assert name not in quotes
        explained = {e.text for e in report.explained}
        assert {"510", "64", "7次", "2.0"} <= explained


class TestWordings:
    """Each wording of the table reads as its row says, and maps to its condition class."""

    @pytest.mark.parametrize("wording", PREFIXES, ids=lambda w: w.name)
    def test_prefix_examples(self, wording: object) -> None:
        for example in wording.examples:  # type: ignore[attr-defined]
            last = re.search(r"\d+(?:\.\d+)?(?=\D*$)", example)
            assert last is not None
            found = find_prefix(example[: last.start()])
            assert found is not None, example
            assert found[0] == wording, example

    @pytest.mark.parametrize("wording", SUFFIXES, ids=lambda w: w.name)
    def test_suffix_examples(self, wording: object) -> None:
        for example in wording.examples:  # type: ignore[attr-defined]
            rest = example.lstrip("0123456789.%")
            rest = rest.lstrip("个家项天工作日")
            found = find_suffix(
                rest if rest.startswith(("以", "及", "左", "内", "之")) else example
            )
            assert found is not None, example
            assert found[0] == wording, example

    @pytest.mark.parametrize("wording", UNIT_READINGS, ids=lambda w: w.name)
    def test_unit_reading_examples(self, wording: object) -> None:
        for example in wording.examples:  # type: ignore[attr-defined]
            assert find_unit_reading(example) == wording

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ("制造业产品质量合格率达到96.8%以上。", pt.AtLeast(value=96.8)),
            ("终端产品比例不低于70%。", pt.AtLeast(value=70)),
            ("开展不少于2次的服务质量提升指导。", pt.AtLeast(value=2)),
            ("获得省级优质工程奖项3个及以上。", pt.AtLeast(value=3)),
            ("农业标准化生产普及率超过30%。", pt.MoreThan(value=30)),
            ("平均抽检合格率高于95%。", pt.MoreThan(value=95)),
            ("企业开办时间压缩到1个工作日内。", pt.AtMost(value=1)),
            ("投诉率不超过5%。", pt.AtMost(value=5)),
            ("空置率低于5%。", pt.LessThan(value=5)),
            ("遴选瞪羚企业35家左右。", pt.Approximately(value=35, rel_tol=0.1)),
            ("培育1~2个高质量文旅融合项目。", pt.Between(low=1, high=2)),
            ("新增苏州市质量奖8个。", pt.Point(value=8)),
            ("认证证书总数较上年增长5%。", pt.RelativeChange(percent=5)),
            ("事故起数较上年下降5%。", pt.RelativeChange(percent=-5)),
            ("游客满意度稳定在85%以上。", pt.Maintained(condition=pt.AtLeast(value=85))),
            ("农村养老服务设施覆盖率达100%。", pt.AtLeast(value=100)),
            ("全市不发生重特大质量安全事件。", pt.Zero()),
            ("各成员单位每月上报工作动态不少于1条。", pt.Maintained(condition=pt.AtLeast(value=1))),
            ("至少培育3家企业。", pt.AtLeast(value=3)),
            ("审批时间压减至30天以内。", pt.AtMost(value=30)),
            ("确保重特大质量安全事故零发生。", pt.Zero()),
        ],
    )
    def test_sentence_to_condition(self, body: str, expected: pt.Condition) -> None:
        assert _only(body).condition == expected

    def test_direction_only_wording_is_improve_in_the_stated_direction(self) -> None:
        plan, _ = _draft("特种设备事故起数和亡人数持续下降。大力提高住院病案首页合格率。")
        targets = list(plan.targets)
        assert [t.condition for t in targets] == [pt.Improve()] * 3
        assert [t.indicator.direction for t in targets] == [
            pt.Direction.LOWER_IS_BETTER,
            pt.Direction.LOWER_IS_BETTER,
            pt.Direction.HIGHER_IS_BETTER,
        ]

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ("单位地区生产总值能耗较2020年下降13%。", pt.RelativeChange(percent=-13, base="2020")),
            ("发明专利拥有量年均增长15%左右。", pt.AnnualGrowth(percent=15, tolerance=1.5)),
            ("制造业产品质量合格率提升2个百分点以上。", pt.AbsoluteChange(amount=2)),
            ("事故死亡率下降0.5个百分点。", pt.AbsoluteChange(amount=-0.5)),
            ("社会公用计量标准增加12项。", pt.AbsoluteChange(amount=12)),
            ("人均预期寿命提高1岁。", pt.AbsoluteChange(amount=1)),
            ("事故起数减少10起。", pt.AbsoluteChange(amount=-10)),
            ("工业产值提高5%。", pt.RelativeChange(percent=5)),
            ("地区生产总值增长6%左右。", pt.RelativeChange(percent=6, tolerance=0.6)),
            ("认证证书总数较上年增长5%左右。", pt.RelativeChange(percent=5, tolerance=0.5)),
        ],
    )
    def test_changes_in_a_one_year_plan_are_on_the_previous_year(
        self, body: str, expected: pt.Condition
    ) -> None:
        assert _only(body).condition == expected

    def test_a_percentage_point_change_is_a_change_of_a_rate_in_percent(self) -> None:
        target = _only("制造业产品质量合格率提升2个百分点以上。")
        assert (target.indicator.kind, target.unit) == (pt.IndicatorKind.RATE, "%")

    def test_a_growth_band_has_no_class_and_is_reported_not_drafted(self) -> None:
        plan, report = _draft("国内生产总值增长6.5%-7%。")
        assert list(plan.targets) == []
        assert Reading.CHANGE_BETWEEN.value in report.not_understood[0].reason

    def test_a_change_with_no_base_year_in_a_multi_year_plan_is_reported(self) -> None:
        text = "某省质量强省实施意见\n\n一、目标\n\n到2025年,制造业产品质量合格率提升2个百分点。"
        plan, report = pt.extract_plan(text)
        assert list(plan.targets) == []
        assert "base year" in report.not_understood[0].reason

    def test_a_plan_span_gives_the_base_year_and_every_year(self) -> None:
        text = (
            "某市“十四五”质量发展规划(2021-2025年)\n\n一、目标\n\n到2025年,"
            "专利拥有量年均增长15%,合格率提升2个百分点,工程质量抽检合格率逐年提高。"
        )
        plan, _ = pt.extract_plan(text)
        assert [t.condition for t in plan.targets] == [
            pt.AnnualGrowth(percent=15, base="2020"),
            pt.AbsoluteChange(amount=2, base="2020"),
            pt.EveryYear(condition=pt.Improve()),
        ]
        assert str(plan.targets[2].period) == str(plan.period)

    def test_pending_readings_refuse_to_become_a_condition(self) -> None:
        for reading in PENDING:
            with pytest.raises(ValueError, match="no condition class"):
                condition_of(reading, 5.0)

    def test_aspirational_scope_is_the_clause(self) -> None:
        plan, _ = _draft(
            "力争二级以上综合医院设立老年医学科的比例达到70%以上,老年友善医疗机构建成率不低于90%。"
        )
        assert [t.aspirational for t in plan.targets] == [True, False]

    def test_aspirational_opening_a_sentence_with_a_time_covers_it(self) -> None:
        plan, _ = _draft("力争到2025年,新增省级以上质量奖获奖企业5家。新增标准5项。")
        assert [t.aspirational for t in plan.targets] == [True, False]

    def test_aspirational_reaches_over_a_list(self) -> None:
        plan, _ = _draft("力争全市85%规模以上企业、60%中小微企业建立首席质量官制度。")
        targets = list(plan.targets)
        assert [t.condition for t in targets] == [pt.Point(value=85), pt.Point(value=60)]
        assert all(t.aspirational for t in targets)


class TestClauses:
    """Coordinated clauses, parentheticals and the number-first forms."""

    def test_coordinated_rates_split_into_one_target_each(self) -> None:
        plan, _ = _draft("地产农产品质量安全例行监测合格率和食品抽查合格率均达到98%以上。")
        names = [t.indicator.name.zh for t in plan.targets]
        assert names == ["地产农产品质量安全例行监测合格率", "食品抽查合格率"]

    def test_respectively_gives_each_number_its_indicator_and_the_shared_wording(self) -> None:
        plan, _ = _draft("A合格率和B合格率分别达到90%、92%以上。城乡居民收入分别增长6%和7%。")
        got = [(t.indicator.name.zh, t.condition) for t in plan.targets]
        assert got == [
            ("A合格率", pt.AtLeast(value=90)),
            ("B合格率", pt.AtLeast(value=92)),
            ("城乡居民收入(1/2)", pt.RelativeChange(percent=6)),
            ("城乡居民收入(2/2)", pt.RelativeChange(percent=7)),
        ]

    def test_a_list_of_things_is_not_split(self) -> None:
        target = _only("新增主导和参与制修订国家标准、行业标准、地方标准50项以上。")
        assert target.condition == pt.AtLeast(value=50)

    def test_parenthetical_sub_target_is_its_own_target(self) -> None:
        plan, _ = _draft("全市新增或改造绿地10.9万平方米(口袋公园5个)。")
        got = [(t.condition.value, t.unit) for t in plan.targets]
        assert got == [(10.9, "万平方米"), (5.0, "个")]

    def test_number_before_the_thing_counted(self) -> None:
        target = _only("新增300张养老机构床位。")
        assert target.condition == pt.Point(value=300)
        assert target.indicator.kind is pt.IndicatorKind.COUNT
        assert target.indicator.basis is pt.Basis.FLOW

    def test_per_capita_and_per_person_units_keep_their_denominator(self) -> None:
        plan, _ = _draft("食品安全抽检量保持7批次/千人以上,全员劳动生产率达到22万元/人。")
        assert [t.unit for t in plan.targets] == ["批次/千人", "万元/人"]

    def test_chinese_numeral_with_a_counting_word_in_a_commitment(self) -> None:
        target = _only("开展全市学校食堂春秋季两轮全覆盖检查。")
        assert target.condition == pt.Point(value=2)
        assert target.unit == "轮"

    def test_a_figure_of_a_past_year_is_not_a_target(self) -> None:
        text = (
            "某市“十四五”质量发展规划(2021-2025年)\n\n一、发展基础\n\n"
            "2019年,全市制造业产品质量合格率为93.5%。\n\n二、目标\n\n到2025年,"
            "制造业产品质量合格率达到95%以上。\n"
        )
        plan, report = pt.extract_plan(text)
        assert [t.condition for t in plan.targets] == [pt.AtLeast(value=95)]
        assert [str(t.period) for t in plan.targets] == ["2025"]
        assert "a figure of a past year" in {e.reason for e in report.explained}

    def test_a_starting_value_is_a_baseline_not_a_target(self) -> None:
        plan, report = _draft("合格率从2020年的93%提高到95%。")
        assert [(t.indicator.name.zh, t.condition) for t in plan.targets] == [
            ("合格率", pt.Point(value=95))
        ]
        assert ("93%", "baseline") in {(e.text, e.reason) for e in report.explained}

    def test_thousands_separators_belong_to_the_number(self) -> None:
        target = _only("城镇新增就业1,200万人以上。")
        assert target.condition == pt.AtLeast(value=1200)

    def test_the_figure_of_an_earlier_year_is_not_a_target(self) -> None:
        plan, report = _draft("全县产值从2015年的85亿元增加到2020年的120亿元。")
        assert list(plan.targets) == []
        assert report.unread == ()

    def test_a_task_table_pasted_as_text(self) -> None:
        text = (
            "2022年某县质量工作要点\n\n二、重点任务\n\n序号\t任务\t责任单位\n"
            "1\t新增A级质量信用企业35家以上\t县工信局、★县市场监管局\n"
            "2\t新增地方标准5项以上\t县市场监管局\n"
        )
        plan, _ = pt.extract_plan(text)
        assert [plan.section_of(t.id) for t in plan.targets] == ["二.1", "二.2"]
        first = {r.owner: r.role for r in plan.responsibilities_of(plan.targets[0].id)}
        assert first == {"县市场监管局": pt.Role.LEAD, "县工信局": pt.Role.SUPPORTING}
        assert "责任单位" not in {o.id for o in plan.owners}

    def test_an_indicator_table_pasted_as_text(self) -> None:
        text = (
            "某市国民经济和社会发展第十四个五年规划纲要\n\n第一章 主要目标\n\n表1 主要指标\n"
            "序号\t指标\t单位\t2020年\t2025年\t属性\n"
            "1\t地区生产总值年均增长\t%\t3.5\t6左右\t预期性\n"
            "2\t常住人口城镇化率\t%\t70.2\t75\t预期性\n"
            "3\t研发经费投入强度\t%\t2.4\t≥3\t预期性\n"
            "4\t单位GDP能耗降低\t%\t—\t[13.5]\t约束性\n"
        )
        plan, report = pt.extract_plan(text)
        got = [(t.indicator.name.zh, t.condition, str(t.period)) for t in plan.targets]
        assert got == [
            ("地区生产总值", pt.AnnualGrowth(percent=6, base="2020", tolerance=0.6), "2025"),
            ("常住人口城镇化率", pt.Point(value=75), "2025"),
            ("研发经费投入强度", pt.AtLeast(value=3), "2025"),
        ]
        # The base-year level is a baseline; a growth row's base figure is not.
        assert [t.baseline for t in plan.targets] == [
            None,
            pt.Baseline(value=70.2, period="2020"),
            pt.Baseline(value=2.4, period="2020"),
        ]
        assert "[13.5]" in report.not_understood[0].reason
        assert report.unread == ()

    def test_a_section_reviewing_past_work_gives_no_targets(self) -> None:
        text = (
            "2021年度某市质量发展工作总结和2022年某市质量发展工作要点\n\n"
            "第一部分 2021年度某市质量发展工作总结\n\n"
            "全市制造业产品质量合格率为96.96%,高于全国水平3.57个百分点。\n\n"
            "第二部分 2022年某市质量发展工作要点\n\n一、主要目标\n\n"
            "制造业产品质量合格率达到96%以上。\n"
        )
        plan, report = pt.extract_plan(text)
        assert str(plan.period) == "2022"
        assert [t.condition for t in plan.targets] == [pt.AtLeast(value=96)]
        assert "in a section reviewing past work" in {e.reason for e in report.explained}

    def test_each_target_takes_the_year_it_is_under(self) -> None:
        text = (
            "某市质量强市实施方案\n\n一、总体目标\n\n到2025年,研发投入强度达2.8%。"
            "到2027年,研发投入强度达3%。\n"
        )
        plan, _ = pt.extract_plan(text)
        assert [str(t.period) for t in plan.targets] == ["2025", "2027"]
        assert (plan.period.start.year, plan.period.end.year) == (2025, 2027)


class TestRules:
    """The rules written as data pass their own examples."""

    @pytest.mark.parametrize("rule", NON_TARGETS, ids=lambda r: r.name)
    def test_non_target_rule_examples(self, rule: object) -> None:
        for example in rule.examples:  # type: ignore[attr-defined]
            assert rule.regex.search(example), example  # type: ignore[attr-defined]
        for example in rule.counter_examples:  # type: ignore[attr-defined]
            assert not rule.regex.search(example), example  # type: ignore[attr-defined]

    @pytest.mark.parametrize("rule", CLAUSE_RULES, ids=lambda r: r.name)
    def test_clause_rule_examples(self, rule: object) -> None:
        for example in rule.examples:  # type: ignore[attr-defined]
            assert rule.regex.match(example), example  # type: ignore[attr-defined]

    def test_deadlines_age_classes_and_numbered_names_are_not_targets(self) -> None:
        plan, report = _draft(
            "6月底前完成评估。构建1+N政策体系。每千人口拥有3岁以下婴幼儿托位数达到4.5个。"
        )
        assert [t.condition for t in plan.targets] == [pt.Point(value=4.5)]
        assert report.unread == ()

    def test_descriptions_spans_of_years_and_enumerations_are_not_targets(self) -> None:
        plan, report = _draft(
            "围绕全市9个千亿产业集群,全市共有规上企业1200家。连续3年获得A等。"
            "1至3月完成自查。主要包括:(1)标准;(2)计量。"
        )
        assert list(plan.targets) == []
        assert {u.text for u in report.unread} == {"9个", "1200家"}
        assert all("describe" in u.reason for u in report.unread)

    def test_more_than_a_number(self) -> None:
        assert _only("培育20余家龙头企业。").condition == pt.MoreThan(value=20)

    def test_an_unknown_unit_is_reported_not_guessed(self) -> None:
        plan, report = _draft("集装箱吞吐量达到50万标准箱以上。")
        assert list(plan.targets) == []
        assert "万标准箱" in report.not_understood[0].reason

    def test_names_with_numerals_are_known_non_targets(self) -> None:
        plan, report = _draft(
            "组织企业参与510中国品牌日、长三角G60科创走廊、双12购物节,"
            "打造“10分钟文化圈”2.0版,推进“两业”融合,实施“三品一标”提升行动。"
        )
        assert list(plan.targets) == []
        assert report.unread == ()


class TestScripts:
    """Traditional script, full-width forms and spaced text read as the simplified."""

    def test_traditional_full_width_and_spaced_text_give_the_same_targets(self) -> None:
        simplified = "制造业产品质量合格率达到96.8%以上,力争注册商标总量达到7万件。"
        traditional = "製造業產品質量合格率達到９６.８％以上，力爭註冊商標總量達到 7 萬件。"
        a, _ = _draft(simplified)
        b, _ = _draft(traditional)
        assert [(t.condition, t.unit, t.aspirational) for t in a.targets] == [
            (t.condition, t.unit, t.aspirational) for t in b.targets
        ]
        text = _one_year(traditional)
        quotes = [t.source.text for t in b.targets if t.source]
        assert all(q in text for q in quotes)
        assert quotes[0].startswith("製造業")


class TestOwners:
    """Responsibility notes become owners and responsibilities."""

    def test_lead_marked_with_a_star_or_a_lead_label(self) -> None:
        plan, _ = _draft(
            "1.加强质量提升。新增A级质量信用企业35家以上。(责任单位:市工信局、★市场监管局,各区镇)\n"
            "2.推进标准化。新增地方标准5项以上。(牵头单位:市市场监管局;配合单位:市发改委)"
        )
        first = {r.owner: r.role for r in plan.goal("1.1").responsibilities}
        assert first == {
            "市工信局": pt.Role.SUPPORTING,
            "市市场监管局": pt.Role.LEAD,
            "各区镇": pt.Role.SUPPORTING,
        }
        second = {r.owner: r.role for r in plan.goal("1.2").responsibilities}
        assert second == {"市市场监管局": pt.Role.LEAD, "市发改委": pt.Role.SUPPORTING}

    def test_unmarked_note_lists_its_owners_unranked_and_says_so(self) -> None:
        plan, report = _draft("1.加强质量提升。新增标准5项以上。(责任部门:市工信局、市场监管局)")
        assert plan.lead_rule is pt.LeadRule.MARKED
        found = {r.owner: r.role for r in plan.goal("1.1").responsibilities}
        assert found == {"市工信局": pt.Role.RESPONSIBLE, "市市场监管局": pt.Role.RESPONSIBLE}
        target = plan.targets[0].id
        assert plan.accountable_for(target) == ("市工信局", "市市场监管局")
        assert not any(r.role is pt.Role.LEAD for r in plan.responsibilities_of(target))
        assert any("listed unranked" in note for note in report.notes)
        assert not any("first named unit leads" in note for note in report.notes)

    def test_a_main_responsibility_label_is_not_an_owner_name(self) -> None:
        plan, _ = _draft("1.加强质量提升。新增标准5项以上。(主要责任单位:市工信局、市场监管局)")
        assert {o.id for o in plan.owners} == {"市工信局", "市市场监管局"}

    def test_document_rule_that_the_first_named_leads_sets_the_lead_rule(self) -> None:
        plan, report = _draft(
            "1.加强质量提升。新增标准5项以上。(责任部门:市工信局、市场监管局)\n"
            "2.推进标准化。新增地方标准5项以上。(责任单位:市发改委、★市场监管局)\n"
            "注:责任部门排名第一的为牵头单位。"
        )
        assert plan.lead_rule is pt.LeadRule.FIRST_NAMED
        first = plan.goal("1.1").responsibilities
        assert [r.role for r in first] == [pt.Role.RESPONSIBLE, pt.Role.RESPONSIBLE]
        roles = {r.owner: r.role for r in plan.responsibilities_of(plan.targets[0].id)}
        assert roles == {"市工信局": pt.Role.LEAD, "市市场监管局": pt.Role.SUPPORTING}
        # A note that marks its lead keeps the mark, whatever the document's rule.
        marked = {r.owner: r.role for r in plan.responsibilities_of(plan.targets[1].id)}
        assert marked == {"市发改委": pt.Role.SUPPORTING, "市市场监管局": pt.Role.LEAD}
        assert any("first named unit leads (排名第一的为牵头单位)" in n for n in report.notes)
        assert not any("listed unranked" in note for note in report.notes)

    def test_the_lead_rule_survives_the_draft_file(self, tmp_path: Path) -> None:
        plan, _ = _draft(
            "1.加强质量提升。新增标准5项以上。(责任部门:市工信局、市场监管局)\n"
            "注:列第一位的为牵头单位。"
        )
        path = tmp_path / "draft.yaml"
        pt.dump_plan(plan, path)
        assert pt.load_plan(path).lead_rule is pt.LeadRule.FIRST_NAMED


class TestBadInput:
    """Empty, binary and target-less input: a clear error or an empty draft, never a crash."""

    @pytest.mark.parametrize("text", ["", "   \n\t "])
    def test_empty_text_is_refused_by_name(self, text: str) -> None:
        with pytest.raises(pt.InvalidValueError, match="some text"):
            pt.extract_plan(text)

    def test_binary_text_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="not binary"):
            pt.extract_plan("2022年\x00\x01\x02")

    def test_not_a_string_is_refused(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="as text"):
            pt.extract_plan(b"2022")  # type: ignore[arg-type]

    def test_no_period_is_a_clear_error_and_a_given_period_works(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="period"):
            pt.extract_plan("加强质量工作。")
        plan, report = pt.extract_plan("加强质量工作。", period="2023")
        assert list(plan.targets) == []
        assert any("no quantified commitment" in note for note in report.notes)

    def test_a_document_without_targets_is_an_empty_draft_with_a_report(self) -> None:
        plan, report = _draft("加强质量宣传,营造良好氛围。")
        assert list(plan.targets) == []
        assert report.targets == ()

    def test_an_unreadable_number_is_listed_with_line_and_column(self) -> None:
        plan, report = _draft("加强宣传。\n完成了12的工作。")
        assert list(plan.targets) == []
        (item,) = report.unread
        assert item.text == "12"
        assert (item.line, item.column) == (6, 4)

    def test_cli_refuses_a_binary_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        document = tmp_path / "x.txt"
        document.write_bytes(b"\x00\x01binary")
        assert main(["extract", str(document)]) == 1
        assert "binary" in capsys.readouterr().err

    @pytest.mark.parametrize("name", ["d.csv", "d.txt"])
    def test_cli_refuses_an_out_suffix_that_is_no_plan_format(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        """--out d.csv exits 2 before reading the document (it wrote YAML into d.csv)."""
        document = tmp_path / "x.txt"
        document.write_text(_one_year("制造业产品质量合格率达到96.8%以上。"), encoding="utf-8")
        out = tmp_path / name
        assert main(["extract", str(document), "--out", str(out)]) == 2
        assert not out.exists()
        err = capsys.readouterr().err
        assert "(known: .json, .yaml, .yml); write the draft to a .yaml, .yml or .json" in err

    def test_cli_reads_stdin_gb18030_and_writes_json_and_a_report(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        data = _one_year("制造业产品质量合格率达到96.8%以上。").encode("gb18030")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        out, report = tmp_path / "d.json", tmp_path / "r.json"
        assert main(["extract", "-", "--out", str(out), "--report", str(report)]) == 0
        plan = pt.load_plan(out)
        assert [t.condition for t in plan.targets] == [pt.AtLeast(value=96.8)]
        assert '"wording": "以上"' in report.read_text(encoding="utf-8")


_FUZZ_PIECES = [
    *"0123456789.%~-、,。;:()（）“”《》〔〕一二三四五六七八九十两年月日号第",
    *("达到", "以上", "以下", "左右", "不低于", "超过", "新增", "个", "家", "项"),
    *("合格率", "较上年增长", "下降", "力争", "保持在", "万元/人", "个百分点"),
    *("\n", " ", "(责任部门:市工信局、市场监管局,各区镇)", "1.", "(一)", "二、"),
]


class TestNeverCrashes:
    """Any text gives a draft and a report, or one clear error."""

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.sampled_from(_FUZZ_PIECES),
            max_size=40,
        ).map("".join)
    )
    def test_random_plan_like_text(self, text: str) -> None:
        try:
            plan, report = pt.extract_plan(text, period="2022")
        except pt.InvalidValueError:
            return
        for entry in report.targets:
            assert text[entry.start : entry.end] == entry.quote
        for item in (*report.unread, *report.not_understood, *report.explained):
            assert text[item.start : item.end] == item.text
        assert len(plan.targets) == len(report.targets)


def _score_module() -> ModuleType:
    path = ROOT / "benchmarks" / "extract" / "score.py"
    spec = importlib.util.spec_from_file_location("extract_score", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestDevelopmentSet:
    """The documented development set: annotations quote their documents, figures hold."""

    def test_recall_and_precision_per_document(self) -> None:
        score = _score_module()
        for doc_id, (text, spec) in score.documents().items():
            row = score.score(doc_id, text, spec)
            assert row["quotes_exact"], doc_id
            assert row["precision"] >= 0.9, doc_id
            # What the draft misses, the report lists (a growth band, a change with no
            # base year named): no silent miss.
            assert row["missed_silent"] == 0, doc_id
            assert row["recall"] >= 0.6, doc_id

    def test_every_draft_survives_a_file_round_trip(self, tmp_path: Path) -> None:
        score = _score_module()
        for doc_id, (text, spec) in score.documents().items():
            plan, _ = pt.extract_plan(text, id=doc_id, period=spec.get("period"))
            for suffix in (".yaml", ".json"):
                path = tmp_path / f"{doc_id}{suffix}"
                pt.dump_plan(plan, path)
                assert pt.load_plan(path) == plan, (doc_id, suffix)
