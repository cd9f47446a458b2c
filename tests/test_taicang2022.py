import hashlib
from importlib import resources
from typing import NamedTuple

import pytest

import policytargets as pt
from policytargets import taicang2022
from policytargets._conditions import fmt_number

PLAN = taicang2022.plan
TEXT = taicang2022.SOURCE_TEXT


class Row(NamedTuple):
    """One target as the document states it."""

    id: str
    section: str
    condition: pt.Condition
    unit: str
    kind: str
    basis: str | None = None
    direction: str = "higher"
    aspirational: bool = False


def _at_least(value: float) -> pt.Condition:
    return pt.AtLeast(value=value)


def _kept(value: float) -> pt.Condition:
    return pt.Maintained(condition=pt.AtLeast(value=value))


def _about(value: float) -> pt.Condition:
    return pt.Approximately(value=value, rel_tol=0.1)


P = pt.Point
FLOW, STOCK = "flow", "stock"

#: Every quantified target of sections 二 and 三, read clause by clause from the text.
EXPECTED: tuple[Row, ...] = (
    # 二.(一) 制造业产品质量合格率达到96.8%以上,消费品质量合格率达到97.5%以上。
    # 公众质量总体满意度指数达到80.40分以上,游客满意度稳定在85%以上。
    Row("manufacturing-pass-rate", "二.(一)", _at_least(96.8), "%", "rate"),
    Row("consumer-goods-pass-rate", "二.(一)", _at_least(97.5), "%", "rate"),
    Row("public-quality-satisfaction", "二.(一)", _at_least(80.40), "分", "index"),
    Row("tourist-satisfaction", "二.(一)", _kept(85), "%", "rate"),
    # 二.(二)
    Row("governors-award-nominations", "二.(二)", P(value=1), "个", "count", FLOW),
    Row("new-suzhou-mayors-awards", "二.(二)", P(value=1), "个", "count", FLOW),
    Row("new-suzhou-quality-awards", "二.(二)", P(value=8), "个", "count", FLOW),
    Row("new-jiangsu-boutique-certifications", "二.(二)", _at_least(1), "个", "count", FLOW),
    Row("new-made-in-suzhou-certifications", "二.(二)", _at_least(5), "个", "count", FLOW),
    Row("high-growth-foundation-enterprises", "二.(二)", _at_least(40), "个", "count", STOCK),
    Row("provincial-engineering-awards", "二.(二)", _at_least(3), "个", "count", FLOW),
    # 二.(三)
    Row("food-sampling-per-capita", "二.(三)", _kept(7), "批次/千人", "per_capita", "flow"),
    Row("food-sampling-pass-rate", "二.(三)", _kept(98), "%", "rate"),
    Row("product-spot-check-pass-rate", "二.(三)", _at_least(96.8), "%", "rate"),
    Row("special-equipment-supervision-rate", "二.(三)", _at_least(100), "%", "rate"),
    Row("serious-hazard-remediation-rate", "二.(三)", _at_least(100), "%", "rate"),
    Row(
        "special-equipment-accidents-per-10k",
        "二.(三)",
        pt.Improve(),
        "起/万台",
        "per_capita",
        direction="lower",
    ),
    Row(
        "special-equipment-deaths-per-10k",
        "二.(三)",
        pt.Improve(),
        "人/万台",
        "per_capita",
        direction="lower",
    ),
    Row("farm-produce-pass-rate", "二.(三)", _at_least(98.7), "%", "rate"),
    Row("construction-first-acceptance-rate", "二.(三)", _at_least(97), "%", "rate"),
    # 二.(四)
    Row("new-standards", "二.(四)", _at_least(50), "项", "count", FLOW),
    Row("new-made-in-suzhou-group-standards", "二.(四)", _at_least(5), "项", "count", FLOW),
    Row("new-public-measurement-standards", "二.(四)", _at_least(2), "项", "count", FLOW),
    Row("certificates-total", "二.(四)", pt.RelativeChange(percent=5), "张", "count", STOCK),
    # 三.(一).1
    Row("digital-transformation-projects", "三.(一).1", _at_least(500), "个", "count", FLOW),
    Row("new-smart-factories", "三.(一).1", P(value=35), "家", "count", FLOW),
    Row("enterprises-diagnosed", "三.(一).1", P(value=200), "家", "count", FLOW),
    Row("new-a-grade-credit-enterprises", "三.(一).1", _at_least(35), "家", "count", FLOW),
    # 三.(一).2 提升省重点水利工程质量评定优良率
    Row("water-project-excellence-rate", "三.(一).2", pt.Improve(), "%", "rate"),
    # 三.(二).4
    Row("new-quality-innovation-consortia", "三.(二).4", P(value=1), "个", "count", FLOW),
    Row("gazelle-enterprises", "三.(二).4", _about(35), "家", "count", FLOW),
    Row("unicorn-candidates", "三.(二).4", _about(15), "家", "count", FLOW),
    Row("high-tech-enterprises", "三.(二).4", P(value=1000), "家", "count", STOCK),
    Row("tech-smes-registered", "三.(二).4", P(value=1300), "家", "count", STOCK),
    Row("new-enterprise-technology-centres", "三.(二).4", P(value=17), "家", "count", FLOW),
    Row(
        "key-technology-projects",
        "三.(二).4",
        P(value=1),
        "个",
        "count",
        FLOW,
        aspirational=True,
    ),
    # 三.(二).5
    Row("made-in-suzhou-end-product-share", "三.(二).5", _at_least(70), "%", "rate"),
    # 三.(二).7
    Row("new-green-product-certificates", "三.(二).7", _at_least(5), "张", "count", FLOW),
    Row("new-energy-management-certificates", "三.(二).7", _at_least(6), "张", "count", FLOW),
    Row("new-energy-saving-certificates", "三.(二).7", _at_least(3), "张", "count", FLOW),
    # 三.(二).8 力争全市85%规模以上企业、60%中小微企业建立首席质量官制度
    Row("chief-quality-officer-large", "三.(二).8", P(value=85), "%", "rate", aspirational=True),
    Row("chief-quality-officer-small", "三.(二).8", P(value=60), "%", "rate", aspirational=True),
    # 三.(三).10
    Row("school-canteen-inspection-rounds", "三.(三).10", P(value=2), "轮", "count", FLOW),
    Row(
        "special-equipment-accidents",
        "三.(三).10",
        pt.Improve(),
        "起",
        "count",
        FLOW,
        direction="lower",
    ),
    Row(
        "special-equipment-deaths",
        "三.(三).10",
        pt.Improve(),
        "人",
        "count",
        FLOW,
        direction="lower",
    ),
    # 三.(四).12
    Row("green-farm-produce-share", "三.(四).12", P(value=70), "%", "rate"),
    Row("geographical-indications", "三.(四).12", P(value=2), "个", "count", STOCK),
    Row(
        "rural-delivery-time",
        "三.(四).12",
        pt.AtMost(value=1),
        "小时",
        "amount",
        STOCK,
        direction="lower",
    ),
    # 三.(四).13
    Row("tourism-quality-guidance-sessions", "三.(四).13", _at_least(2), "次", "count", FLOW),
    Row("culture-tourism-projects", "三.(四).13", pt.Between(low=1, high=2), "个", "count", FLOW),
    # 三.(四).14
    Row("new-childcare-institutions", "三.(四).14", P(value=6), "家", "count", FLOW),
    Row(
        "geriatrics-department-share",
        "三.(四).14",
        _at_least(70),
        "%",
        "rate",
        aspirational=True,
    ),
    Row("elderly-friendly-institutions", "三.(四).14", _at_least(90), "%", "rate"),
    Row("medical-record-front-page-pass-rate", "三.(四).14", pt.Improve(), "%", "rate"),
    # 三.(四).15
    Row("bus-routes", "三.(四).15", P(value=15), "条", "count", FLOW),
    Row("customised-coach-share", "三.(四).15", P(value=50), "%", "rate"),
    Row("new-elderly-care-beds", "三.(四).15", P(value=300), "张", "count", FLOW),
    Row("new-day-care-centres", "三.(四).15", P(value=5), "家", "count", FLOW),
    Row("upgraded-day-care-centres", "三.(四).15", P(value=5), "家", "count", FLOW),
    Row("homes-adapted-for-elderly", "三.(四).15", P(value=1000), "户", "count", FLOW),
    Row("rural-elderly-care-coverage", "三.(四).15", _at_least(100), "%", "rate"),
    Row("green-space", "三.(四).15", P(value=10.9), "万平方米", "amount", FLOW),
    Row("pocket-parks", "三.(四).15", P(value=5), "个", "count", FLOW),
    Row("afforestation", "三.(四).15", P(value=400), "亩", "amount", FLOW),
    Row("green-villages", "三.(四).15", P(value=1), "个", "count", FLOW),
    # 三.(七).19 各成员单位每月上报工作动态不少于1条
    Row(
        "monthly-work-updates",
        "三.(七).19",
        pt.Maintained(condition=pt.AtLeast(value=1), every="month"),
        "条",
        "count",
        FLOW,
    ),
)

#: The 责任部门 note of each section, as full owner ids, lead first.
NOTES: dict[str, tuple[str, ...]] = {
    "二.(一)": ("各成员单位",),
    "二.(二)": ("市市场监管局", "市住建局", "市交运局", "各区镇"),
    "二.(三)": ("市市场监管局", "市农业农村局", "市住建局", "市交运局", "市水务局", "各区镇"),
    "二.(四)": ("市市场监管局", "各区镇"),
    "三.(一).1": ("市工信局", "市市场监管局", "市发改委", "各区镇"),
    "三.(一).2": ("市住建局", "市城管局", "市交运局", "市水务局", "各区镇"),
    "三.(一).3": ("市发改委", "各区镇"),
    "三.(二).4": ("市市场监管局", "市科技局", "市工信局", "各区镇"),
    "三.(二).5": (
        "市市场监管局",
        "市工信局",
        "市发改委",
        "市农业农村局",
        "市住建局",
        "市交运局",
        "各区镇",
    ),
    "三.(二).6": (
        "市委宣传部",
        "市发改委",
        "市商务局",
        "市科技局",
        "市人社局",
        "市市场监管局",
        "市城管局",
        "各区镇",
    ),
    "三.(二).7": ("市市场监管局", "市农业农村局", "市工信局", "市住建局", "各区镇"),
    "三.(二).8": ("市人社局", "市总工会", "市市场监管局", "各区镇"),
    "三.(三).9": ("市市场监管局", "市行政审批局", "市发改委", "市商务局", "各区镇"),
    "三.(三).10": (
        "市市场监管局",
        "市农业农村局",
        "市教育局",
        "市商务局",
        "市应急局",
        "各区镇",
    ),
    "三.(三).11": ("市公安局", "市市场监管局", "市农业农村局", "市发改委", "各区镇"),
    "三.(四).12": ("市农业农村局", "市商务局", "市发改委", "市交运局", "各区镇"),
    "三.(四).13": ("市文体广旅局", "市市场监管局", "各区镇"),
    "三.(四).14": ("市卫健委", "各区镇"),
    "三.(四).15": (
        "市商务局",
        "市市场监管局",
        "市交运局",
        "市民政局",
        "市教育局",
        "市住建局",
        "市资规局",
        "各区镇",
    ),
    "三.(五).16": ("市委宣传部", "市委党校", "市发改委", "市市场监管局", "各区镇"),
    "三.(五).17": ("市市场监管局", "市教育局", "各区镇"),
    "三.(六).18": ("市市场监管局", "各区镇"),
    "三.(七).19": ("市质量强市领导小组办公室", "各成员单位"),
    "三.(七).20": ("各成员单位",),
}

MILESTONES: dict[str, str] = {
    "mayors-quality-award": "二.(二)",
    "quality-infrastructure-one-stop-centre": "二.(四)",
    "sino-german-standardisation-centre": "三.(二).7",
    "convenience-store-one-thing": "三.(三).9",
    "foreign-enterprise-dormancy": "三.(三).9",
    "rapid-response-mechanisms": "三.(三).11",
    "ten-minute-culture-circle": "三.(四).13",
    "party-school-quality-course": "三.(五).16",
    "quality-city-conference": "三.(七).19",
    "district-quality-committees": "三.(七).19",
}

HEADINGS = ("一", "二", "三", "(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)")
_CN = ("一", "二", "三", "四", "五", "六", "七")


def _owner_ids(item_id: str) -> tuple[str, ...]:
    return tuple(r.owner for r in PLAN.responsibilities_of(item_id))


class TestDocument:
    """The document's metadata and its shipped text."""

    def test_metadata_is_the_notices(self) -> None:
        assert PLAN.id == "taicang2022"
        assert PLAN.title.zh == "2022年太仓市质量强市工作要点"
        assert PLAN.title.en
        assert PLAN.issuer is not None
        assert PLAN.issuer.zh == "太仓市人民政府办公室"
        assert PLAN.issuer.en
        assert PLAN.document_number == "太政办〔2022〕64号"
        assert str(PLAN.issued) == "2022-06-02"
        assert str(PLAN.published) == "2022-06-06"
        assert PLAN.validity is pt.Validity.VALID
        assert str(PLAN.period) == "2022"
        assert PLAN.url == (
            "http://www.taicang.gov.cn/taicang/zfbwj/202206/cefd1c94df4b44dbaef11c767a89cc97.shtml"
        )

    def test_the_metadata_is_what_the_page_shows(self) -> None:
        for shown in ("有效", "2022-06-02", "时间:2022-06-06", "太政办〔2022〕64号"):
            assert shown in TEXT

    def test_the_addressees_are_the_addressee_line_part_by_part(self) -> None:
        line = next(x for x in TEXT.splitlines() if x.startswith("各镇人民政府"))
        assert len(PLAN.addressees) == 10
        for addressee in PLAN.addressees:
            head = addressee.removesuffix("管委会").removesuffix("办事处")
            assert head in line
        assert PLAN.addressees[0] == "各镇人民政府"
        assert PLAN.addressees[-1] == "健雄学院"

    def test_the_shipped_text_is_the_published_document_unchanged(self) -> None:
        shipped = resources.files("policytargets.taicang2022").joinpath("source.txt")
        digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
        assert digest == "3dec75d8ea52963767beb134e3935359204ba23ba76da0a8dd844b3c5f91ac92"
        assert shipped.read_text(encoding="utf-8") == TEXT


class TestGoalTree:
    """The goal tree follows the document's headings and numbered tasks."""

    def test_sections_are_in_document_order(self) -> None:
        tasks = {
            "一": 3,
            "二": 5,
            "三": 3,
            "四": 4,
            "五": 2,
            "六": 1,
            "七": 2,
        }
        expected = ["一", "二", *(f"二.({n})" for n in _CN[:4]), "三"]
        number = 1
        for heading, size in tasks.items():
            expected.append(f"三.({heading})")
            for _ in range(size):
                expected.append(f"三.({heading}).{number}")
                number += 1
        assert [g.section for g in PLAN.goals_flat()] == expected
        assert number == 21

    def test_every_goal_title_is_a_heading_of_the_document_with_an_english_title(self) -> None:
        for goal in PLAN.goals_flat():
            assert goal.title.en, goal.id
            tail = goal.section.rsplit(".", 1)[-1]
            if tail in HEADINGS:
                heading = f"{tail}、" if not tail.startswith("(") else tail
            else:
                heading = f"{tail}."
            assert f"{heading}{goal.title.zh}" in TEXT, goal.section

    def test_general_requirements_carry_their_text(self) -> None:
        goal = PLAN.goal("1")
        assert goal.text is not None
        assert goal.text.startswith("以习近平新时代中国特色社会主义思想为指导")
        assert goal.text.endswith("激情谱写社会主义现代化建设太仓精彩篇章。")
        assert goal.text in TEXT

    def test_tasks_sit_under_their_heading(self) -> None:
        assert [g.id for g in PLAN.parents_of("green-space")] == ["3", "3.4", "3.4.15"]
        assert PLAN.section_of("3.4.15") == "三.(四).15"


class TestTargets:
    """Every quantified target is there, as the document words it."""

    def test_the_plan_holds_exactly_the_expected_targets_in_document_order(self) -> None:
        assert [t.id for t in PLAN.targets] == [row.id for row in EXPECTED]

    @pytest.mark.parametrize("row", EXPECTED, ids=[row.id for row in EXPECTED])
    def test_target_reads_as_the_clause_says(self, row: Row) -> None:
        target = PLAN.target(row.id)
        assert target.condition == row.condition
        assert target.unit == row.unit
        assert target.indicator.unit == row.unit
        assert target.indicator.kind == row.kind
        assert target.indicator.basis == row.basis
        assert target.indicator.direction == row.direction
        assert target.aspirational is row.aspirational
        assert str(target.period) == "2022"
        assert target.source is not None
        assert target.source.section == row.section
        assert PLAN.section_of(row.id) == row.section

    @pytest.mark.parametrize("target", list(PLAN.targets), ids=lambda t: t.id)
    def test_source_text_is_an_exact_substring_of_the_document(self, target: pt.Target) -> None:
        assert target.source is not None
        assert target.source.text in TEXT

    @pytest.mark.parametrize("target", list(PLAN.targets), ids=lambda t: t.id)
    def test_source_text_states_the_targets_number(self, target: pt.Target) -> None:
        assert target.source is not None
        value = target.condition.value
        if value is None:  # direction only
            assert any(w in target.source.text for w in ("下降", "提升", "提高"))
        elif target.id == "school-canteen-inspection-rounds":
            assert "两轮" in target.source.text
        else:
            assert fmt_number(value) in target.source.text.replace("80.40", "80.4")

    def test_aspirational_targets_are_exactly_those_under_li_zheng(self) -> None:
        aspirational = {t.id for t in PLAN.targets if t.aspirational}
        quoted = {t.id for t in PLAN.targets if t.source is not None and "力争" in t.source.text}
        assert aspirational == quoted
        assert len(aspirational) == 4

    def test_every_indicator_is_named_in_both_languages(self) -> None:
        for target in PLAN.targets:
            assert target.indicator.name.zh
            assert target.indicator.name.en
            assert target.indicator.name.en.isascii() or "“" in target.indicator.name.en

    def test_coordinated_indicators_of_one_clause_are_separate_targets(self) -> None:
        pairs = [
            ("food-sampling-per-capita", "food-sampling-pass-rate"),
            ("chief-quality-officer-large", "chief-quality-officer-small"),
            ("special-equipment-supervision-rate", "serious-hazard-remediation-rate"),
            ("special-equipment-accidents-per-10k", "special-equipment-deaths-per-10k"),
        ]
        for first, second in pairs:
            assert PLAN.target(first).indicator != PLAN.target(second).indicator

    def test_a_per_capita_target_never_equals_a_percentage(self) -> None:
        target = PLAN.target("food-sampling-per-capita")
        assert pt.assess(target, "7%").status is pt.Status.NOT_COMPARABLE


class TestJudging:
    """The encoded conditions judge observations the way the wording means."""

    @pytest.mark.parametrize(
        ("observed", "status"),
        [("32家", "met"), ("38家", "met"), ("31家", "not_met"), ("39家", "met")],
    )
    def test_about_35_gazelles_accepts_32_and_more(self, observed: str, status: str) -> None:
        """左右 in the good direction: a shortfall within 3 is met, and so is 39 (超额完成)."""
        assert pt.assess(PLAN.target("gazelle-enterprises"), observed).status == status

    @pytest.mark.parametrize(
        ("observed", "status"),
        [("1小时", "met"), ("50分钟", "met"), ("1.5小时", "not_met")],
    )
    def test_one_hour_delivery_is_at_most_an_hour(self, observed: str, status: str) -> None:
        assert pt.assess(PLAN.target("rural-delivery-time"), observed).status == status

    def test_certificates_must_grow_five_percent_on_2021(self) -> None:
        target = PLAN.target("certificates-total")
        base = pt.Observation(period="2021", value=2000, unit="张")
        grown = pt.Observation(period="2022", value=2100, unit="张")
        short = pt.Observation(period="2022", value=2099, unit="张")
        assert pt.assess(target, [base, grown]).status is pt.Status.MET
        assert pt.assess(target, [base, short]).status is pt.Status.NOT_MET
        assert pt.assess(target, [grown]).status is pt.Status.NEEDS_BASELINE

    def test_accidents_must_fall_below_the_previous_year(self) -> None:
        target = PLAN.target("special-equipment-accidents")
        base = pt.Observation(period="2021", value=3, unit="起")
        assert pt.assess(target, [base, pt.Observation(period="2022", value=2, unit="起")]).ok
        same = pt.Observation(period="2022", value=3, unit="起")
        assert pt.assess(target, [base, same]).status is pt.Status.NOT_MET

    def test_monthly_updates_must_reach_one_in_every_month(self) -> None:
        target = PLAN.target("monthly-work-updates")
        months = [
            pt.Observation(period=f"2022-{m:02d}", value=0 if m == 7 else 2, unit="条")
            for m in range(1, 13)
        ]
        assert pt.assess(target, months).status is pt.Status.NOT_MET
        months[6] = pt.Observation(period="2022-07", value=1, unit="条")
        assert pt.assess(target, months).status is pt.Status.MET


class TestMilestones:
    """Numberless commitments with a clear deliverable are milestones."""

    def test_the_plan_holds_exactly_the_expected_milestones(self) -> None:
        assert {m.id: PLAN.section_of(m.id) for m in PLAN.milestones} == MILESTONES

    @pytest.mark.parametrize("milestone", list(PLAN.milestones), ids=lambda m: m.id)
    def test_milestone_quotes_the_document_and_is_named_in_both_languages(
        self, milestone: pt.Milestone
    ) -> None:
        assert milestone.source is not None
        assert milestone.source.text in TEXT
        assert milestone.name.zh
        assert milestone.name.en
        assert str(milestone.period) == "2022"
        assert PLAN.responsibilities_of(milestone.id)

    def test_a_milestone_is_pending_until_reported_done(self) -> None:
        award = PLAN.milestone("mayors-quality-award")
        assert pt.assess(award).status is pt.Status.PENDING
        assert pt.assess(award, True).status is pt.Status.DONE


class TestOwners:
    """The owner registry resolves every note, with names in both languages."""

    @pytest.mark.parametrize("section", sorted(NOTES))
    def test_each_note_is_read_unranked_with_the_city_prefix(self, section: str) -> None:
        """The document never says who leads, so no note makes a lead."""
        goal = next(g for g in PLAN.goals_flat() if g.section == section)
        assert tuple(r.owner for r in goal.responsibilities) == NOTES[section]
        assert all(r.role is pt.Role.RESPONSIBLE for r in goal.responsibilities)

    def test_the_plan_states_no_lead_rule(self) -> None:
        assert PLAN.lead_rule is pt.LeadRule.MARKED
        roles = {r.role for item in (*PLAN.targets, *PLAN.milestones)
                 for r in PLAN.responsibilities_of(item.id)}  # fmt: skip
        assert roles == {pt.Role.RESPONSIBLE}

    @pytest.mark.parametrize(
        ("target_id", "owners"),
        [
            ("provincial-engineering-awards", ("市住建局", "市交运局", "各区镇")),
            ("farm-produce-pass-rate", ("市农业农村局", "各区镇")),
            ("construction-first-acceptance-rate", ("市住建局", "市交运局", "市水务局", "各区镇")),
            ("food-sampling-pass-rate", ("市市场监管局", "各区镇")),
            ("green-space", ("市住建局", "各区镇")),
            ("afforestation", ("市资规局", "各区镇")),
            ("bus-routes", ("市交运局", "各区镇")),
            ("new-elderly-care-beds", ("市民政局", "各区镇")),
            ("gazelle-enterprises", ("市科技局", "各区镇")),
            ("water-project-excellence-rate", ("市水务局", "各区镇")),
            ("monthly-work-updates", ("各成员单位",)),
        ],
    )
    def test_a_section_note_gives_each_target_to_the_bureaus_of_its_field(
        self, target_id: str, owners: tuple[str, ...]
    ) -> None:
        """No bureau answers for a target in another bureau's field."""
        assert _owner_ids(target_id) == owners
        assert PLAN.accountable_for(target_id) == owners

    def test_every_field_judgement_picks_from_the_sections_note_and_says_so(self) -> None:
        judged = 0
        for item in (*PLAN.targets, *PLAN.milestones):
            if not item.responsibilities:
                assert item.source is not None
                assert item.source.note is None
                continue
            judged += 1
            section = PLAN.section_of(item.id)
            assert set(_owner_ids(item.id)) <= set(NOTES[section]), item.id
            assert set(_owner_ids(item.id)) < set(NOTES[section]), item.id
            assert item.source is not None
            assert item.source.note is not None
            assert item.source.note.startswith("Owners are an encoding judgement"), item.id
        assert judged == 61

    def test_targets_without_their_own_owners_share_a_one_bureau_note(self) -> None:
        """Where a target keeps its section's note, that note names one bureau or one group."""
        for item in (*PLAN.targets, *PLAN.milestones):
            if item.responsibilities:
                continue
            bureaus = [o for o in _owner_ids(item.id) if not o.startswith("各")]
            assert len(bureaus) <= 1, item.id

    def test_every_named_owner_is_registered(self) -> None:
        named = {name for names in NOTES.values() for name in names}
        registered = {o.id for o in PLAN.owners}
        assert named <= registered
        departments = {o.id for o in PLAN.owners if o.kind is not pt.OwnerKind.DISTRICT}
        assert departments == named

    def test_every_owner_has_a_full_chinese_and_an_english_name(self) -> None:
        for owner in PLAN.owners:
            assert owner.name.zh
            assert owner.name.en.isascii(), owner.id
        assert PLAN.owner("市市场监管局").name.zh == "太仓市市场监督管理局"
        assert PLAN.owner("市住建局").name.zh == "太仓市住房和城乡建设局"

    @pytest.mark.parametrize(
        ("alias", "owner_id"),
        [
            ("市场监管局", "市市场监管局"),
            ("住建局", "市住建局"),
            ("总工会", "市总工会"),
            ("Taicang Health Commission", "市卫健委"),
            ("太仓市应急管理局", "市应急局"),
        ],
    )
    def test_short_forms_and_full_names_resolve_to_the_owner(
        self, alias: str, owner_id: str
    ) -> None:
        assert PLAN.owner(alias).id == owner_id

    def test_kinds_are_right(self) -> None:
        kinds = {o.id: o.kind for o in PLAN.owners}
        assert kinds["市市场监管局"] is pt.OwnerKind.DEPARTMENT
        assert kinds["市总工会"] is pt.OwnerKind.ORGANISATION
        assert kinds["市委党校"] is pt.OwnerKind.ORGANISATION
        assert kinds["各区镇"] is pt.OwnerKind.COLLECTIVE
        assert kinds["各成员单位"] is pt.OwnerKind.COLLECTIVE
        assert kinds["浏河镇"] is pt.OwnerKind.DISTRICT

    def test_every_town_and_district_is_a_member_of_ge_qu_zhen(self) -> None:
        members = {o.id for o in PLAN.members_of("各区镇")}
        assert members == {
            "城厢镇",
            "沙溪镇",
            "浏河镇",
            "浮桥镇",
            "璜泾镇",
            "双凤镇",
            "太仓港经济技术开发区",
            "太仓高新区",
            "旅游度假区",
            "科教新城",
            "娄东街道",
            "陆渡街道",
        }
        assert all(o.kind is pt.OwnerKind.DISTRICT for o in PLAN.members_of("各区镇"))

    def test_member_units_are_the_named_departments_but_the_groups_own_office(self) -> None:
        members = {o.id for o in PLAN.members_of("各成员单位")}
        named = {n for names in NOTES.values() for n in names if not n.startswith("各")}
        assert members == named - {"市质量强市领导小组办公室"}

    def test_the_registry_is_exposed(self) -> None:
        assert PLAN.owners == taicang2022.OWNERS


class TestTables:
    """The targets frame and the responsibility matrix."""

    def test_targets_frame_has_the_documented_columns_and_one_row_per_target(self) -> None:
        frame = PLAN.targets_frame()
        for column in (
            "target_id",
            "section",
            "indicator_zh",
            "indicator_en",
            "kind",
            "comparator",
            "value",
            "value_high",
            "unit",
            "aspirational",
            "owners",
            "source_text",
        ):
            assert column in frame.columns
        assert list(frame["target_id"]) == [row.id for row in EXPECTED]
        assert frame["target_id"].is_unique
        assert set(frame["comparator"]) <= {c.value for c in pt.Comparator}
        assert frame["aspirational"].sum() == 4

    def test_frame_sections_and_sources_match_the_targets(self) -> None:
        frame = PLAN.targets_frame().set_index("target_id")
        for row in EXPECTED:
            assert frame.at[row.id, "section"] == row.section
            assert frame.at[row.id, "source_text"] in TEXT

    def test_frame_units_read_as_quantities_after_a_number(self) -> None:
        for unit in PLAN.targets_frame()["unit"]:
            assert pt.parse_quantity(f"1{unit}").magnitude == 1

    def test_frame_values_are_the_conditions_numbers(self) -> None:
        frame = PLAN.targets_frame().set_index("target_id")
        assert frame.at["public-quality-satisfaction", "value"] == pytest.approx(80.40)
        assert frame.at["culture-tourism-projects", "value"] == 1
        assert frame.at["culture-tourism-projects", "value_high"] == 2
        assert frame.at["gazelle-enterprises", "rel_tol"] == pytest.approx(0.1)
        assert frame.at["certificates-total", "comparator"] == "relative_change"

    def test_frame_owners_are_full_chinese_names_and_nobody_leads(self) -> None:
        frame = PLAN.targets_frame().set_index("target_id")
        assert frame.at["green-space", "owners"] == ["市住建局", "各区镇"]
        assert frame.at["monthly-work-updates", "owners"] == ["各成员单位"]
        assert frame["lead"].isna().all()
        assert "住建局" not in {name for names in frame["owners"] for name in names}

    def test_responsibility_matrix_marks_unranked_owners_responsible(self) -> None:
        matrix = PLAN.responsibility_matrix()
        items = [t.id for t in PLAN.targets] + [m.id for m in PLAN.milestones]
        assert matrix.shape == (len(PLAN.owners), len(items))
        assert matrix.at["市市场监管局", "new-standards"] == "responsible"
        assert matrix.at["各区镇", "new-standards"] == "responsible"
        assert matrix.at["市卫健委", "new-childcare-institutions"] == "responsible"
        assert matrix["bus-routes"].notna().sum() == 2
        assert matrix["farm-produce-pass-rate"].dropna().index.tolist() == [
            "市农业农村局",
            "各区镇",
        ]

    def test_expanding_collectives_gives_each_town_its_part(self) -> None:
        matrix = PLAN.responsibility_matrix(expand_collectives=True)
        assert matrix.at["浏河镇", "new-standards"] == "responsible"
        assert matrix.at["市教育局", "manufacturing-pass-rate"] == "responsible"
