"""Sections 一 总体要求 (general requirements) and 二 主要目标 (main goals)."""

from __future__ import annotations

import policytargets as pt

from ._clauses import count, in_field, milestone, note, quote, rate, target

__all__ = ["general_requirements", "main_goals"]

_GENERAL_REQUIREMENTS = (
    "以习近平新时代中国特色社会主义思想为指导,深入贯彻党的十九大和十九届历次全会精神,"
    "立足新发展阶段,贯彻新发展理念,服务新发展格局,加快推动质量强市建设,深入开展质量提升行动,"
    "实施品牌发展战略,夯实质量基础,推动质量变革、效率变革、动力变革,提高经济质量效益和核心竞争力,"
    "全力推进数字经济时代产业创新集群发展,激情谱写社会主义现代化建设太仓精彩篇章。"
)


def general_requirements() -> pt.Goal:
    """一、总体要求: prose only, no commitment to judge."""
    return pt.Goal(
        id="1",
        section="一",
        title=pt.Label(zh="总体要求", en="General requirements"),
        text=quote("一", _GENERAL_REQUIREMENTS).text,
    )


def _quality_level() -> pt.Goal:
    s = "二.(一)"
    return pt.Goal(
        id="2.1",
        section=s,
        title=pt.Label(zh="质量水平持续提高", en="Quality keeps rising"),
        responsibilities=note("(责任部门:各成员单位)"),
        targets=(
            target(
                s,
                rate(
                    "manufacturing-pass-rate",
                    "制造业产品质量合格率",
                    "Manufactured product quality pass rate",
                ),
                pt.AtLeast(value=96.8),
                source="制造业产品质量合格率达到96.8%以上",
            ),
            target(
                s,
                rate(
                    "consumer-goods-pass-rate",
                    "消费品质量合格率",
                    "Consumer goods quality pass rate",
                ),
                pt.AtLeast(value=97.5),
                source="消费品质量合格率达到97.5%以上",
            ),
            target(
                s,
                pt.Indicator(
                    id="public-quality-satisfaction",
                    name=pt.Label(
                        zh="公众质量总体满意度指数",
                        en="Public overall satisfaction with quality (index)",
                    ),
                    kind="index",
                    unit="分",
                ),
                pt.AtLeast(value=80.40),
                source="公众质量总体满意度指数达到80.40分以上",
            ),
            # 稳定在…以上: must hold in every year's figure (the reporting resolution).
            target(
                s,
                rate("tourist-satisfaction", "游客满意度", "Tourist satisfaction"),
                pt.Maintained(condition=pt.AtLeast(value=85)),
                source="游客满意度稳定在85%以上",
            ),
        ),
    )


def _brands() -> pt.Goal:
    s = "二.(二)"
    return pt.Goal(
        id="2.2",
        section=s,
        title=pt.Label(zh="质量品牌有新突破", en="New breakthroughs in quality brands"),
        responsibilities=note("(责任部门:市市场监管局、住建局、交运局,各区镇)"),
        milestones=(
            milestone(
                "mayors-quality-award",
                s,
                zh="设立太仓市市长质量奖",
                en="Establish the Taicang Mayor's Quality Award",
                source="设立太仓市市长质量奖",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
        ),
        targets=(
            # A bare number after a verb (组织申报, 新增) is a point target: more is also met.
            target(
                s,
                count(
                    "governors-award-nominations",
                    "组织申报江苏省省长质量奖(提名奖)数",
                    "Applications for the Jiangsu Governor's Quality Award (nomination)",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=1),
                source="组织申报江苏省省长质量奖(提名奖)1个",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "new-suzhou-mayors-awards",
                    "新增苏州市市长质量奖(质量管理优秀奖)数",
                    "New Suzhou Mayor's Quality Awards (quality management excellence)",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=1),
                source="新增苏州市市长质量奖(质量管理优秀奖)1个",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "new-suzhou-quality-awards",
                    "新增苏州市质量奖数",
                    "New Suzhou Quality Awards",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=8),
                source="新增苏州市质量奖8个",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "new-jiangsu-boutique-certifications",
                    "新增“江苏精品”品牌认证数",
                    "New “Jiangsu Boutique” brand certifications",
                    unit="个",
                    basis="flow",
                ),
                pt.AtLeast(value=1),
                source="新增“江苏精品”品牌认证1个以上",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "new-made-in-suzhou-certifications",
                    "新增“苏州制造”品牌认证数",
                    "New “Made in Suzhou” brand certifications",
                    unit="个",
                    basis="flow",
                ),
                pt.AtLeast(value=5),
                source="新增“苏州制造”品牌认证5个以上",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
            # 培育企业数达…: the number of enterprises in the programme, a level.
            target(
                s,
                count(
                    "high-growth-foundation-enterprises",
                    "高成长企业质量筑基计划培育企业数",
                    "Enterprises in the high-growth enterprise quality foundation programme",
                    unit="个",
                    basis="stock",
                ),
                pt.AtLeast(value=40),
                source="高成长企业质量筑基计划培育企业数达40个以上",
                owners=in_field(
                    "二.(二)",
                    "市市场监管局",
                    "各区镇",
                    field="enterprise quality programmes (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "provincial-engineering-awards",
                    "获得扬子杯等省级优质工程奖项数",
                    "Provincial quality-engineering awards won (Yangzi Cup and others)",
                    unit="个",
                    basis="flow",
                ),
                pt.AtLeast(value=3),
                source="获得扬子杯等省级优质工程奖项3个及以上",
                owners=in_field(
                    "二.(二)",
                    "市住建局",
                    "市交运局",
                    "各区镇",
                    field="construction and transport engineering quality",
                ),
            ),
        ),
    )


def _supervision() -> pt.Goal:
    s = "二.(三)"
    return pt.Goal(
        id="2.3",
        section=s,
        title=pt.Label(zh="质量监管效能提升", en="More effective quality supervision"),
        responsibilities=note("(责任部门:市市场监管局、农业农村局、住建局、交运局、水务局,各区镇)"),
        targets=(
            # One sentence, two indicators: the sampling volume and its pass rate.
            target(
                s,
                pt.Indicator(
                    id="food-sampling-per-capita",
                    name=pt.Label(
                        zh="食品安全抽检量",
                        en="Food safety sampling volume per 1,000 residents",
                    ),
                    kind="per_capita",
                    unit="批次/千人",
                    # Batches a year per 1,000 residents: quarterly figures add up.
                    basis="flow",
                ),
                pt.Maintained(condition=pt.AtLeast(value=7)),
                source="食品安全抽检量保持7批次/千人以上",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="food safety sampling (market regulation)",
                ),
            ),
            target(
                s,
                rate(
                    "food-sampling-pass-rate",
                    "食品安全抽检合格率",
                    "Food safety sampling pass rate",
                ),
                pt.Maintained(condition=pt.AtLeast(value=98)),
                source="合格率保持98%以上",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="food safety sampling (market regulation)",
                ),
            ),
            target(
                s,
                rate(
                    "product-spot-check-pass-rate",
                    "产品综合监督抽查平均抽样合格率",
                    "Average pass rate of product supervision spot checks",
                ),
                pt.AtLeast(value=96.8),
                source="产品综合监督抽查平均抽样合格率达到96.8%以上",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="product quality supervision (market regulation)",
                ),
            ),
            # 全覆盖 / 100%: a saturation target, at least 100 %.
            target(
                s,
                rate(
                    "special-equipment-supervision-rate",
                    "重点监控特种设备监管率",
                    "Supervision rate of closely monitored special equipment",
                ),
                pt.AtLeast(value=100),
                source="重点监控特种设备监管率和严重隐患治理率达到100%",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
            target(
                s,
                rate(
                    "serious-hazard-remediation-rate",
                    "重点监控特种设备严重隐患治理率",
                    "Remediation rate of serious hazards in closely monitored special equipment",
                ),
                pt.AtLeast(value=100),
                source="重点监控特种设备监管率和严重隐患治理率达到100%",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
            # 逐渐下降: direction only, judged against the previous year (a baseline).
            target(
                s,
                pt.Indicator(
                    id="special-equipment-accidents-per-10k",
                    name=pt.Label(
                        zh="万台特种设备事故起数",
                        en="Special equipment accidents per 10,000 units",
                    ),
                    kind="per_capita",
                    unit="起/万台",
                    direction="lower",
                ),
                pt.Improve(),
                source="万台特种设备事故起数控制和万台特种设备事故死亡人数控制指标逐渐下降",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
            target(
                s,
                pt.Indicator(
                    id="special-equipment-deaths-per-10k",
                    name=pt.Label(
                        zh="万台特种设备事故死亡人数",
                        en="Special equipment accident deaths per 10,000 units",
                    ),
                    kind="per_capita",
                    unit="人/万台",
                    direction="lower",
                ),
                pt.Improve(),
                source="万台特种设备事故起数控制和万台特种设备事故死亡人数控制指标逐渐下降",
                owners=in_field(
                    "二.(三)",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
            target(
                s,
                rate(
                    "farm-produce-pass-rate",
                    "农产品质量安全检测综合合格率",
                    "Overall pass rate of farm produce quality and safety tests",
                ),
                pt.AtLeast(value=98.7),
                source="农产品质量安全检测综合合格率达到98.7%以上",
                owners=in_field(
                    "二.(三)",
                    "市农业农村局",
                    "各区镇",
                    field="farm produce quality and safety (agriculture)",
                ),
            ),
            target(
                s,
                rate(
                    "construction-first-acceptance-rate",
                    "大中型工程质量竣工一次验收合格率",
                    "First-time completion acceptance rate of large and medium projects",
                ),
                pt.AtLeast(value=97),
                source="大中型工程质量竣工一次验收合格率达到97%以上",
                owners=in_field(
                    "二.(三)",
                    "市住建局",
                    "市交运局",
                    "市水务局",
                    "各区镇",
                    field="building, transport and water engineering quality",
                ),
            ),
        ),
    )


def _quality_infrastructure() -> pt.Goal:
    s = "二.(四)"
    return pt.Goal(
        id="2.4",
        section=s,
        title=pt.Label(zh="质量基础保障有力", en="Strong quality infrastructure"),
        responsibilities=note("(责任部门:市市场监管局,各区镇)"),
        milestones=(
            milestone(
                "quality-infrastructure-one-stop-centre",
                s,
                zh="设立太仓市质量基础一站式服务中心",
                en="Establish the Taicang one-stop quality infrastructure service centre",
                source="设立太仓市质量基础一站式服务中心",
            ),
        ),
        targets=(
            target(
                s,
                count(
                    "new-standards",
                    "新增主导和参与制修订国家标准、行业标准、地方标准数",
                    "New national, industry and local standards led or co-drafted",
                    unit="项",
                    basis="flow",
                ),
                pt.AtLeast(value=50),
                source="新增主导和参与制修订国家标准、行业标准、地方标准50项以上",
            ),
            target(
                s,
                count(
                    "new-made-in-suzhou-group-standards",
                    "新增“苏州制造”品牌认证团体标准数",
                    "New group standards for “Made in Suzhou” brand certification",
                    unit="项",
                    basis="flow",
                ),
                pt.AtLeast(value=5),
                source="新增“苏州制造”品牌认证团体标准5项以上",
            ),
            target(
                s,
                count(
                    "new-public-measurement-standards",
                    "新建社会公用计量标准数",
                    "New public measurement standards",
                    unit="项",
                    basis="flow",
                ),
                pt.AtLeast(value=2),
                source="新建2项(个)以上社会公用计量标准",
            ),
            # 较上年增长5%: a relative change of the year-end stock against 2021.
            target(
                s,
                count(
                    "certificates-total",
                    "认证证书总数",
                    "Certification certificates in force",
                    unit="张",
                    basis="stock",
                ),
                pt.RelativeChange(percent=5),
                source="认证证书总数较上年增长5%",
            ),
        ),
    )


def main_goals() -> pt.Goal:
    """二、主要目标: the four main goals and their targets."""
    return pt.Goal(
        id="2",
        section="二",
        title=pt.Label(zh="主要目标", en="Main goals"),
        goals=(_quality_level(), _brands(), _supervision(), _quality_infrastructure()),
    )
