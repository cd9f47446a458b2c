"""Section 三 重点任务 (key tasks): seven headings, twenty numbered tasks."""

from __future__ import annotations

import policytargets as pt

from ._clauses import ABOUT, count, in_field, milestone, note, rate, target

__all__ = ["key_tasks"]


def _task(
    goal_id: str,
    section: str,
    *,
    zh: str,
    en: str,
    owners: str,
    targets: tuple[pt.Target, ...] = (),
    milestones: tuple[pt.Milestone, ...] = (),
) -> pt.Goal:
    """A numbered task; ``owners`` is its 责任部门 note, quoted from the document."""
    return pt.Goal(
        id=goal_id,
        section=section,
        title=pt.Label(zh=zh, en=en),
        responsibilities=note(owners),
        targets=targets,
        milestones=milestones,
    )


# --- (一) 深化质量提升行动 -------------------------------------------------------


def _quality_improvement() -> pt.Goal:
    s = "三.(一).1"
    task1 = _task(
        "3.1.1",
        s,
        zh="加强制造业质量提升",
        en="Raise manufacturing quality",
        owners="(责任部门:市工信局、市场监管局、发改委、各区镇)",
        targets=(
            target(
                s,
                count(
                    "digital-transformation-projects",
                    "完成智能化改造和数字化转型项目数",
                    "Smart-manufacturing and digital transformation projects completed",
                    unit="个",
                    basis="flow",
                ),
                pt.AtLeast(value=500),
                source="完成智能化改造和数字化转型项目500个以上",
                owners=in_field(
                    "三.(一).1",
                    "市工信局",
                    "各区镇",
                    field="smart manufacturing and digital transformation (industry)",
                ),
            ),
            target(
                s,
                count(
                    "new-smart-factories",
                    "新增智能工厂(车间)数",
                    "New smart factories (workshops)",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=35),
                source="新增智能工厂(车间)35家",
                owners=in_field(
                    "三.(一).1",
                    "市工信局",
                    "各区镇",
                    field="smart manufacturing and digital transformation (industry)",
                ),
            ),
            target(
                s,
                count(
                    "enterprises-diagnosed",
                    "诊断服务企业数",
                    "Enterprises given diagnostic services",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=200),
                source="诊断服务200家企业",
                owners=in_field(
                    "三.(一).1",
                    "市工信局",
                    "各区镇",
                    field="smart manufacturing and digital transformation (industry)",
                ),
            ),
            target(
                s,
                count(
                    "new-a-grade-credit-enterprises",
                    "新增A级质量信用企业数",
                    "New A-grade quality credit enterprises",
                    unit="家",
                    basis="flow",
                ),
                pt.AtLeast(value=35),
                source="新增A级质量信用企业35家以上",
                owners=in_field(
                    "三.(一).1",
                    "市市场监管局",
                    "各区镇",
                    field="enterprise quality credit (market regulation)",
                ),
            ),
        ),
    )
    s = "三.(一).2"
    task2 = _task(
        "3.1.2",
        s,
        zh="推动工程建设业高质量发展",
        en="High-quality development of the construction industry",
        owners="(责任部门:市住建局、城管局、交运局、水务局,各区镇)",
        targets=(
            # A named rate with a direction and no number: better than in 2021.
            target(
                s,
                rate(
                    "water-project-excellence-rate",
                    "省重点水利工程质量评定优良率",
                    "Share of provincial key water projects rated excellent",
                ),
                pt.Improve(),
                source="提升省重点水利工程质量评定优良率",
                owners=in_field(
                    "三.(一).2", "市水务局", "各区镇", field="water project quality (water affairs)"
                ),
            ),
        ),
    )
    task3 = _task(
        "3.1.3",
        "三.(一).3",
        zh="推进服务业提质增效",
        en="Better and more efficient services",
        owners="(责任部门:市发改委,各区镇)",
    )
    return pt.Goal(
        id="3.1",
        section="三.(一)",
        title=pt.Label(zh="深化质量提升行动", en="Deepen the quality improvement campaign"),
        goals=(task1, task2, task3),
    )


# --- (二) 增强企业质量发展能力 ---------------------------------------------------


def _enterprise_capacity() -> pt.Goal:
    s = "三.(二).4"
    task4 = _task(
        "3.2.4",
        s,
        zh="激发质量创新活力",
        en="Spur quality innovation",
        owners="(责任部门:市市场监管局、科技局、工信局,各区镇)",
        targets=(
            target(
                s,
                count(
                    "new-quality-innovation-consortia",
                    "新增质量创新联合体数",
                    "New quality innovation consortia",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=1),
                source="新增质量创新联合体1个",
                owners=in_field(
                    "三.(二).4",
                    "市市场监管局",
                    "各区镇",
                    field="the quality empowerment partnership plan (market regulation)",
                ),
            ),
            # 左右: about, within the explicit tolerance ABOUT (±10 %).
            target(
                s,
                count(
                    "gazelle-enterprises",
                    "遴选瞪羚企业数",
                    "Gazelle enterprises selected",
                    unit="家",
                    basis="flow",
                ),
                pt.Approximately(value=35, rel_tol=ABOUT),
                source="遴选瞪羚企业35家左右",
                owners=in_field(
                    "三.(二).4",
                    "市科技局",
                    "各区镇",
                    field="science and technology enterprises (science and technology)",
                ),
            ),
            target(
                s,
                count(
                    "unicorn-candidates",
                    "认定独角兽培育企业数",
                    "Unicorn candidate enterprises recognised",
                    unit="家",
                    basis="flow",
                ),
                pt.Approximately(value=15, rel_tol=ABOUT),
                source="认定独角兽培育企业15家左右",
                owners=in_field(
                    "三.(二).4",
                    "市科技局",
                    "各区镇",
                    field="science and technology enterprises (science and technology)",
                ),
            ),
            # 有效…数达到: a stock, the level at the end of the year.
            target(
                s,
                count(
                    "high-tech-enterprises",
                    "有效高企数",
                    "High-tech enterprises with valid certification",
                    unit="家",
                    basis="stock",
                ),
                pt.Point(value=1000),
                source="有效高企数达到1000家",
                owners=in_field(
                    "三.(二).4",
                    "市科技局",
                    "各区镇",
                    field="science and technology enterprises (science and technology)",
                ),
            ),
            target(
                s,
                count(
                    "tech-smes-registered",
                    "科技型中小企业入库评价数",
                    "Technology-based SMEs evaluated and registered",
                    unit="家",
                    basis="stock",
                ),
                pt.Point(value=1300),
                source="科技型中小企业入库评价数达1300家",
                owners=in_field(
                    "三.(二).4",
                    "市科技局",
                    "各区镇",
                    field="science and technology enterprises (science and technology)",
                ),
            ),
            target(
                s,
                count(
                    "new-enterprise-technology-centres",
                    "新增市级以上企业技术中心数",
                    "New enterprise technology centres at city level or above",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=17),
                source="新增市级以上企业技术中心17家",
                owners=in_field(
                    "三.(二).4",
                    "市工信局",
                    "各区镇",
                    field="manufacturing innovation and enterprise technology centres (industry)",
                ),
            ),
            # 力争: the same kind of condition, evaluated but reported apart.
            target(
                s,
                count(
                    "key-technology-projects",
                    "实施省市关键核心技术攻关项目数",
                    "Provincial or city key core technology projects under way",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=1),
                aspirational=True,
                source="力争实施1个省市关键核心技术攻关项目",
                owners=in_field(
                    "三.(二).4",
                    "市科技局",
                    "市工信局",
                    "各区镇",
                    field="key technology research (science and technology, industry)",
                ),
            ),
        ),
    )
    s = "三.(二).5"
    task5 = _task(
        "3.2.5",
        s,
        zh="打造高价值区域品牌",
        en="Build high-value regional brands",
        owners="(责任部门:市市场监管局、工信局、发改委、农业农村局、住建局、交运局,各区镇)",
        targets=(
            target(
                s,
                rate(
                    "made-in-suzhou-end-product-share",
                    "“苏州制造”品牌认证终端产品比例",
                    "Share of end products among “Made in Suzhou” certifications",
                ),
                pt.AtLeast(value=70),
                source="持续开展“苏州制造”品牌认证,其中终端产品比例不低于70%",
                owners=in_field(
                    "三.(二).5",
                    "市市场监管局",
                    "各区镇",
                    field="quality awards and brand certification (market regulation)",
                ),
            ),
        ),
    )
    task6 = _task(
        "3.2.6",
        "三.(二).6",
        zh="深化品牌产品推广",
        en="Promote branded products",
        owners="(责任部门:市委宣传部,市发改委、商务局、科技局、人社局、市场监管局、城管局,各区镇)",
    )
    s = "三.(二).7"
    task7 = _task(
        "3.2.7",
        s,
        zh="发挥质量基础建设支撑作用",
        en="Make quality infrastructure support development",
        owners="(责任部门:市市场监管局、农业农村局、工信局、住建局,各区镇)",
        milestones=(
            milestone(
                "sino-german-standardisation-centre",
                s,
                zh="探索建立中德标准化协作交流中心",
                en="Explore setting up a Sino-German standardisation cooperation centre",
                source="探索建立中德标准化协作交流中心",
                owners=in_field(
                    "三.(二).7",
                    "市市场监管局",
                    "各区镇",
                    field="standardisation (market regulation)",
                ),
            ),
        ),
        targets=(
            # 年新增: a flow, counted within the year.
            target(
                s,
                count(
                    "new-green-product-certificates",
                    "绿色产品认证证书年新增数",
                    "New green product certificates in the year",
                    unit="张",
                    basis="flow",
                ),
                pt.AtLeast(value=5),
                source="绿色产品认证证书数年新增5张以上",
                owners=in_field(
                    "三.(二).7", "市市场监管局", "各区镇", field="certification (market regulation)"
                ),
            ),
            target(
                s,
                count(
                    "new-energy-management-certificates",
                    "能源管理体系认证证书年新增数",
                    "New energy management system certificates in the year",
                    unit="张",
                    basis="flow",
                ),
                pt.AtLeast(value=6),
                source="能源管理体系认证证书年新增6张以上",
                owners=in_field(
                    "三.(二).7", "市市场监管局", "各区镇", field="certification (market regulation)"
                ),
            ),
            target(
                s,
                count(
                    "new-energy-saving-certificates",
                    "节能产品认证证书年新增数",
                    "New energy-saving product certificates in the year",
                    unit="张",
                    basis="flow",
                ),
                pt.AtLeast(value=3),
                source="节能产品认证证书年新增3张以上",
                owners=in_field(
                    "三.(二).7", "市市场监管局", "各区镇", field="certification (market regulation)"
                ),
            ),
        ),
    )
    s = "三.(二).8"
    task8 = _task(
        "3.2.8",
        s,
        zh="加强质量人才培养",
        en="Train quality professionals",
        owners="(责任部门:市人社局、总工会、市场监管局,各区镇)",
        targets=(
            # Two coordinated indicators under one 力争: two aspirational targets.
            target(
                s,
                rate(
                    "chief-quality-officer-large",
                    "规模以上企业建立首席质量官制度比例",
                    "Share of enterprises above designated size with a chief quality officer",
                ),
                pt.Point(value=85),
                aspirational=True,
                source="力争全市85%规模以上企业、60%中小微企业建立首席质量官制度",
                owners=in_field(
                    "三.(二).8",
                    "市市场监管局",
                    "各区镇",
                    field="the chief quality officer system (market regulation)",
                ),
            ),
            target(
                s,
                rate(
                    "chief-quality-officer-small",
                    "中小微企业建立首席质量官制度比例",
                    "Share of small, medium and micro enterprises with a chief quality officer",
                ),
                pt.Point(value=60),
                aspirational=True,
                source="力争全市85%规模以上企业、60%中小微企业建立首席质量官制度",
                owners=in_field(
                    "三.(二).8",
                    "市市场监管局",
                    "各区镇",
                    field="the chief quality officer system (market regulation)",
                ),
            ),
        ),
    )
    return pt.Goal(
        id="3.2",
        section="三.(二)",
        title=pt.Label(
            zh="增强企业质量发展能力", en="Strengthen enterprises' capacity for quality"
        ),
        goals=(task4, task5, task6, task7, task8),
    )


# --- (三) 提升质量治理效能 -------------------------------------------------------


def _governance() -> pt.Goal:
    s = "三.(三).9"
    task9 = _task(
        "3.3.9",
        s,
        zh="持续优化营商环境",
        en="Keep improving the business environment",
        owners="(责任部门:市市场监管局、行政审批局、发改委、商务局,各区镇)",
        milestones=(
            milestone(
                "convenience-store-one-thing",
                s,
                zh="推进开办便利店“一件事”",
                en="Open a convenience store as “one thing” (one integrated procedure)",
                source="推进开办便利店“一件事”",
                owners=in_field(
                    "三.(三).9",
                    "市行政审批局",
                    "市市场监管局",
                    "各区镇",
                    field="business licensing (administrative approval, market regulation)",
                ),
            ),
            milestone(
                "foreign-enterprise-dormancy",
                s,
                zh="推行外资企业“休眠”制度",
                en="Introduce “dormancy” for foreign-invested enterprises",
                source="推行外资企业“休眠”制度",
                owners=in_field(
                    "三.(三).9",
                    "市市场监管局",
                    "市商务局",
                    "各区镇",
                    field="registering foreign-invested enterprises (market regulation, commerce)",
                ),
            ),
        ),
    )
    s = "三.(三).10"
    task10 = _task(
        "3.3.10",
        s,
        zh="继续夯实安全基础",
        en="Strengthen the foundations of safety",
        owners="(责任部门:市市场监管局、农业农村局、教育局、商务局、应急局,各区镇)",
        targets=(
            target(
                s,
                count(
                    "school-canteen-inspection-rounds",
                    "学校食堂和学生集体用餐配送单位全覆盖检查轮数",
                    "Full-coverage inspection rounds of school canteens and meal suppliers",
                    unit="轮",
                    basis="flow",
                ),
                pt.Point(value=2),
                source="开展全市学校食堂和学生集体用餐配送单位春秋季两轮全覆盖检查",
                owners=in_field(
                    "三.(三).10",
                    "市市场监管局",
                    "市教育局",
                    "各区镇",
                    field="food safety in schools (market regulation, education)",
                ),
            ),
            # 持续下降: direction only, lower is better, judged against 2021.
            target(
                s,
                count(
                    "special-equipment-accidents",
                    "特种设备事故起数",
                    "Special equipment accidents",
                    unit="起",
                    basis="flow",
                    direction="lower",
                ),
                pt.Improve(),
                source="特种设备事故起数和亡人数持续下降",
                owners=in_field(
                    "三.(三).10",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
            target(
                s,
                count(
                    "special-equipment-deaths",
                    "特种设备事故亡人数",
                    "Deaths in special equipment accidents",
                    unit="人",
                    basis="flow",
                    direction="lower",
                ),
                pt.Improve(),
                source="特种设备事故起数和亡人数持续下降",
                owners=in_field(
                    "三.(三).10",
                    "市市场监管局",
                    "各区镇",
                    field="special equipment safety (market regulation)",
                ),
            ),
        ),
    )
    s = "三.(三).11"
    task11 = _task(
        "3.3.11",
        s,
        zh="有效规范市场秩序",
        en="Regulate market order effectively",
        owners="(责任部门:市公安局、市场监管局、农业农村局、发改委,各区镇)",
        milestones=(
            milestone(
                "rapid-response-mechanisms",
                s,
                zh="建立重大质量违法突发案件快速反应等机制",
                en="Set up rapid-response, joint-enforcement, criminal-referral and "
                "supervised-case mechanisms for major quality offences",
                source="建立处置重大食品、药品质量违法突发案件快速反应机制、执法联动机制、"
                "行政执法与刑事司法衔接机制和重点质量案件挂牌督办制度",
                owners=in_field(
                    "三.(三).11",
                    "市公安局",
                    "市市场监管局",
                    "各区镇",
                    field="quality law enforcement (public security, market regulation)",
                ),
            ),
        ),
    )
    return pt.Goal(
        id="3.3",
        section="三.(三)",
        title=pt.Label(zh="提升质量治理效能", en="More effective quality governance"),
        goals=(task9, task10, task11),
    )


# --- (四) 增进人民质量福祉 -------------------------------------------------------


def _well_being() -> pt.Goal:
    s = "三.(四).12"
    task12 = _task(
        "3.4.12",
        s,
        zh="保障优质农产品供给",
        en="Secure the supply of quality farm produce",
        owners="(责任部门:市农业农村局、商务局、发改委、交运局,各区镇)",
        targets=(
            # 达 with a bare number: a point target, judged in the good direction.
            target(
                s,
                rate(
                    "green-farm-produce-share",
                    "绿色优质农产品比重",
                    "Share of green, high-quality farm produce",
                ),
                pt.Point(value=70),
                source="绿色优质农产品比重达70%",
                owners=in_field(
                    "三.(四).12", "市农业农村局", "各区镇", field="farm produce (agriculture)"
                ),
            ),
            target(
                s,
                count(
                    "geographical-indications",
                    "累计获得农产品地理标志数",
                    "Farm produce geographical indications held (cumulative)",
                    unit="个",
                    basis="stock",
                ),
                pt.Point(value=2),
                source="累计获得农产品地理标志达2个",
                owners=in_field(
                    "三.(四).12", "市农业农村局", "各区镇", field="farm produce (agriculture)"
                ),
            ),
            # 1小时到货: delivered within the hour; a time, so lower is better.
            target(
                s,
                pt.Indicator(
                    id="rural-delivery-time",
                    name=pt.Label(zh="农村快递物流到货时间", en="Rural express delivery time"),
                    kind="amount",
                    unit="小时",
                    direction="lower",
                    basis="stock",
                ),
                pt.AtMost(value=1),
                source="实现1小时到货",
                owners=in_field(
                    "三.(四).12",
                    "市商务局",
                    "市交运局",
                    "各区镇",
                    field="rural logistics and delivery (commerce, transport)",
                ),
            ),
        ),
    )
    s = "三.(四).13"
    task13 = _task(
        "3.4.13",
        s,
        zh="提升文化和旅游服务质量",
        en="Better culture and tourism services",
        owners="(责任部门:市文体广旅局、市场监管局,各区镇)",
        milestones=(
            milestone(
                "ten-minute-culture-circle",
                s,
                zh="打造“10分钟文化圈”2.0版",
                en="Build version 2.0 of the “10-minute culture circle”",
                source="打造“10分钟文化圈”2.0版",
                owners=in_field(
                    "三.(四).13", "市文体广旅局", "各区镇", field="culture and tourism"
                ),
            ),
        ),
        targets=(
            target(
                s,
                count(
                    "tourism-quality-guidance-sessions",
                    "服务质量提升指导次数",
                    "Service quality guidance sessions for tourism businesses",
                    unit="次",
                    basis="flow",
                ),
                pt.AtLeast(value=2),
                source="开展不少于2次的服务质量提升指导",
                owners=in_field(
                    "三.(四).13", "市文体广旅局", "各区镇", field="culture and tourism"
                ),
            ),
            # X~Y个: a range, both ends included.
            target(
                s,
                count(
                    "culture-tourism-projects",
                    "高质量文旅融合项目数",
                    "High-quality culture and tourism integration projects",
                    unit="个",
                    basis="flow",
                ),
                pt.Between(low=1, high=2),
                source="培育1~2个高质量文旅融合项目",
                owners=in_field(
                    "三.(四).13", "市文体广旅局", "各区镇", field="culture and tourism"
                ),
            ),
        ),
    )
    s = "三.(四).14"
    task14 = _task(
        "3.4.14",
        s,
        zh="提升医疗服务水平",
        en="Better medical services",
        owners="(责任部门:市卫健委,各区镇)",
        targets=(
            target(
                s,
                count(
                    "new-childcare-institutions",
                    "新增普惠性托育机构数",
                    "New affordable childcare institutions",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=6),
                source="新增普惠性托育机构6家",
            ),
            # 力争 governs its own clause; the 90% clause after the comma has its
            # own subject and verb, and is read as binding.
            target(
                s,
                rate(
                    "geriatrics-department-share",
                    "二级以上综合医院设立老年医学科的比例",
                    "Share of grade-II-or-above general hospitals with a geriatrics department",
                ),
                pt.AtLeast(value=70),
                aspirational=True,
                source="力争二级以上综合医院设立老年医学科的比例达到70%以上",
            ),
            target(
                s,
                rate(
                    "elderly-friendly-institutions",
                    "老年友善医疗机构建成率",
                    "Share of medical institutions made elderly-friendly",
                ),
                pt.AtLeast(value=90),
                source="全市综合性医院、基层卫生医疗机构、康复医院和护理院的老年友善医疗机构建成率不低于90%",
            ),
            target(
                s,
                rate(
                    "medical-record-front-page-pass-rate",
                    "三级医疗机构住院病案首页合格率",
                    "Pass rate of inpatient record front pages in tertiary hospitals",
                ),
                pt.Improve(),
                source="大力提高三级医疗机构住院病案首页合格率",
            ),
        ),
    )
    s = "三.(四).15"
    task15 = _task(
        "3.4.15",
        s,
        zh="创造高品质生活",
        en="A high-quality life",
        owners="(责任部门:市商务局、市场监管局、交运局、民政局、教育局、住建局、资规局,各区镇)",
        targets=(
            target(
                s,
                count(
                    "bus-routes",
                    "新辟优化公交线路数",
                    "Bus routes opened or improved",
                    unit="条",
                    basis="flow",
                ),
                pt.Point(value=15),
                source="新辟优化公交线路15条",
                owners=in_field(
                    "三.(四).15", "市交运局", "各区镇", field="public transport (transport)"
                ),
            ),
            target(
                s,
                rate(
                    "customised-coach-share",
                    "客运班线定制化率",
                    "Share of scheduled coach lines run as customised services",
                ),
                pt.Point(value=50),
                source="客运班线定制化率达到50%",
                owners=in_field(
                    "三.(四).15", "市交运局", "各区镇", field="public transport (transport)"
                ),
            ),
            target(
                s,
                count(
                    "new-elderly-care-beds",
                    "新增养老机构床位数",
                    "New beds in elderly care institutions",
                    unit="张",
                    basis="flow",
                ),
                pt.Point(value=300),
                source="新增300张养老机构床位",
                owners=in_field(
                    "三.(四).15", "市民政局", "各区镇", field="elderly care (civil affairs)"
                ),
            ),
            target(
                s,
                count(
                    "new-day-care-centres",
                    "新建老年人日间照料服务中心(站)数",
                    "New day care centres (stations) for the elderly",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=5),
                source="新建5家老年人日间照料服务中心(站)",
                owners=in_field(
                    "三.(四).15", "市民政局", "各区镇", field="elderly care (civil affairs)"
                ),
            ),
            target(
                s,
                count(
                    "upgraded-day-care-centres",
                    "提档升级老年人日间照料服务中心数",
                    "Day care centres for the elderly upgraded",
                    unit="家",
                    basis="flow",
                ),
                pt.Point(value=5),
                source="提档升级5家老年人日间照料服务中心",
                owners=in_field(
                    "三.(四).15", "市民政局", "各区镇", field="elderly care (civil affairs)"
                ),
            ),
            target(
                s,
                count(
                    "homes-adapted-for-elderly",
                    "老年人家庭适老化改造户数",
                    "Elderly households whose homes are adapted",
                    unit="户",
                    basis="flow",
                ),
                pt.Point(value=1000),
                source="实施1000户老年人家庭适老化改造工程",
                owners=in_field(
                    "三.(四).15", "市民政局", "各区镇", field="elderly care (civil affairs)"
                ),
            ),
            target(
                s,
                rate(
                    "rural-elderly-care-coverage",
                    "农村养老服务设施覆盖率",
                    "Coverage of rural elderly care facilities",
                ),
                pt.AtLeast(value=100),
                source="农村养老服务设施覆盖率达100%",
                owners=in_field(
                    "三.(四).15", "市民政局", "各区镇", field="elderly care (civil affairs)"
                ),
            ),
            # An area: any unit of area converts (平方米, 亩, 公顷, hectare).
            target(
                s,
                pt.Indicator(
                    id="green-space",
                    name=pt.Label(zh="新增或改造绿地面积", en="Green space added or renovated"),
                    kind="amount",
                    unit="万平方米",
                    basis="flow",
                ),
                pt.Point(value=10.9),
                source="全市新增或改造绿地10.9万平方米",
                owners=in_field(
                    "三.(四).15",
                    "市住建局",
                    "各区镇",
                    field="urban green space (housing and urban-rural development)",
                ),
            ),
            target(
                s,
                count(
                    "pocket-parks",
                    "口袋公园数",
                    "Pocket parks",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=5),
                source="全市新增或改造绿地10.9万平方米(口袋公园5个)",
                owners=in_field(
                    "三.(四).15",
                    "市住建局",
                    "各区镇",
                    field="urban green space (housing and urban-rural development)",
                ),
            ),
            target(
                s,
                pt.Indicator(
                    id="afforestation",
                    name=pt.Label(zh="营造林面积", en="Afforestation area"),
                    kind="amount",
                    unit="亩",
                    basis="flow",
                ),
                pt.Point(value=400),
                source="完成全市营造林400亩",
                owners=in_field(
                    "三.(四).15",
                    "市资规局",
                    "各区镇",
                    field="forestry and greening (natural resources and planning)",
                ),
            ),
            target(
                s,
                count(
                    "green-villages",
                    "新建省级绿美村庄数",
                    "New provincial green and beautiful villages",
                    unit="个",
                    basis="flow",
                ),
                pt.Point(value=1),
                source="新建省级绿美村庄1个",
                owners=in_field(
                    "三.(四).15",
                    "市资规局",
                    "各区镇",
                    field="forestry and greening (natural resources and planning)",
                ),
            ),
        ),
    )
    return pt.Goal(
        id="3.4",
        section="三.(四)",
        title=pt.Label(zh="增进人民质量福祉", en="Improve people's well-being through quality"),
        goals=(task12, task13, task14, task15),
    )


# --- (五) 营造浓厚质量氛围 -------------------------------------------------------


def _quality_culture() -> pt.Goal:
    s = "三.(五).16"
    task16 = _task(
        "3.5.16",
        s,
        zh="开展质量方针政策宣贯",
        en="Publicise quality policies",
        owners="(责任部门:市委宣传部、市委党校,市发改委、市场监管局,各区镇)",
        milestones=(
            milestone(
                "party-school-quality-course",
                s,
                zh="将质量发展课程纳入党校培训内容",
                en="Add a quality development course to the Party School's training",
                source="将质量发展课程纳入党校培训内容",
                owners=in_field(
                    "三.(五).16",
                    "市委党校",
                    "各区镇",
                    field="party school training (the party school)",
                ),
            ),
        ),
    )
    task17 = _task(
        "3.5.17",
        "三.(五).17",
        zh="推进质量文化阵地载体建设",
        en="Build venues for quality culture",
        owners="(责任部门:市市场监管局、教育局,各区镇)",
    )
    return pt.Goal(
        id="3.5",
        section="三.(五)",
        title=pt.Label(zh="营造浓厚质量氛围", en="Build a strong quality culture"),
        goals=(task16, task17),
    )


# --- (六) 加快融入长三角质量发展 -------------------------------------------------


def _yangtze_delta() -> pt.Goal:
    task18 = _task(
        "3.6.18",
        "三.(六).18",
        zh="促进区域产业质量提升联动",
        en="Link regional industrial quality improvement",
        owners="(责任部门:市市场监管局,各区镇)",
    )
    return pt.Goal(
        id="3.6",
        section="三.(六)",
        title=pt.Label(
            zh="加快融入长三角质量发展",
            en="Integrate faster into Yangtze River Delta quality development",
        ),
        goals=(task18,),
    )


# --- (七) 强化质量统筹推进 -------------------------------------------------------


def _coordination() -> pt.Goal:
    s = "三.(七).19"
    task19 = _task(
        "3.7.19",
        s,
        zh="完善质量强市工作机制",
        en="Improve the quality-city working mechanism",
        owners="(责任部门:市质量强市领导小组办公室,各成员单位)",
        milestones=(
            milestone(
                "quality-city-conference",
                s,
                zh="组织召开质量强市工作会议",
                en="Hold the quality-city work conference",
                source="组织召开质量强市工作会议",
            ),
            milestone(
                "district-quality-committees",
                s,
                zh="探索设立区镇质量发展委员会",
                en="Explore setting up quality development committees in towns and districts",
                source="探索设立区镇质量发展委员会",
            ),
        ),
        targets=(
            # 每月…不少于1条: the condition must hold in every month's figure,
            # hence Maintained(every="month"). The sentence names who reports.
            target(
                s,
                count(
                    "monthly-work-updates",
                    "各成员单位每月上报工作动态条数",
                    "Work updates each member unit reports per month",
                    unit="条",
                    basis="flow",
                ),
                pt.Maintained(condition=pt.AtLeast(value=1), every="month"),
                source="各成员单位每月上报工作动态不少于1条",
                owners=in_field(
                    "三.(七).19", "各成员单位", field="the member units' own monthly reports"
                ),
            ),
        ),
    )
    task20 = _task(
        "3.7.20",
        "三.(七).20",
        zh="做好质量工作考核",
        en="Assess quality work well",
        owners="(责任部门:各成员单位)",
    )
    return pt.Goal(
        id="3.7",
        section="三.(七)",
        title=pt.Label(zh="强化质量统筹推进", en="Stronger coordination of quality work"),
        goals=(task19, task20),
    )


def key_tasks() -> pt.Goal:
    """三、重点任务: seven headings and tasks 1–20."""
    return pt.Goal(
        id="3",
        section="三",
        title=pt.Label(zh="重点任务", en="Key tasks"),
        goals=(
            _quality_improvement(),
            _enterprise_capacity(),
            _governance(),
            _well_being(),
            _quality_culture(),
            _yangtze_delta(),
            _coordination(),
        ),
    )
