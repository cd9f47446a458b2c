"""The rules, written as data: units, verbs, connectives and non-target patterns.

The named patterns say when a number is *not* a target (dates, document
numbers, names with numerals).

Each :class:`Rule` has a name (shown in the report for every number it
explains), a pattern over the simplified reading copy, and examples the tests
check: a rule is added by adding a row, not by editing a function.
"""

from __future__ import annotations

import re

from attrs import frozen

__all__ = [
    "ACTION_VERBS",
    "ASPIRATIONAL",
    "CHINESE_DIGITS",
    "COUNT_UNITS",
    "FLOW_WORDS",
    "HEADS",
    "LEADING_CONNECTIVES",
    "LOWER_IS_BETTER_WORDS",
    "NON_TARGETS",
    "NOT_A_COMMITMENT",
    "STOCK_WORDS",
    "TIME_UNITS",
    "TRAILING_VERBS",
    "UNITS",
    "Rule",
    "unit_pattern",
]


@frozen
class Rule:
    """A named pattern.

    Attributes:
        name: stable name, shown in the report.
        pattern: regular expression; the numbers inside a match (or inside its
            group ``n`` when it has one) are explained by the rule.
        examples: texts the pattern must find a match in (checked by the tests).
        counter_examples: texts it must not match.
    """

    name: str
    pattern: str
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    regex = _CACHE.get(pattern)
    if regex is None:
        regex = _CACHE[pattern] = re.compile(pattern)
    return regex


#: Numbers that are not commitments. Order does not matter: a number any rule
#: explains is a known non-target.
NON_TARGETS: tuple[Rule, ...] = (
    Rule(
        "date",
        r"\d{4}年度?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|前|以来)?|\d{1,2}月\d{1,2}日"
        r"|\d{1,2}月(?:份|底|末|初|中旬|上旬|下旬)?(?:前|起|以来|以后)?"
        r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}(?:年)?\s*[~\-—–至到]\s*\d{4}年?",
        ("2022年6月2日", "到2025年", "2022-06-06", "(2021~2023年)", "2021—2025年", "6月底前完成"),
        ("新增5家",),
    ),
    Rule("time of day", r"\d{1,2}:\d{2}(?::\d{2})?", ("16:06", "09:37:45")),
    Rule(
        "meeting",
        r"[一二三四五六七八九十]+(?:届|次)(?:[一二三四五六七八九十]+次)?(?:全会|会议|全体会议|党代会|常务会议)",
        ("省委十五届二次全会", "第二次全体会议"),
    ),
    Rule(
        "document number",
        r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号|\d{4}〕\s*\d+\s*号|\d+号",
        ("太政办〔2022〕64号", "金质2018〕24号"),
        ("64个",),
    ),
    Rule(
        "ordinal",
        r"第\d+(?:次|届|批|个|期|号|条|章|节|款|名|位|轮|部分)",
        ("市政府第7次常务会议", "第40次常务会议"),
    ),
    Rule(
        "span of years",
        r"(?:连续|近|未来|今后|每|最近|用|经过|前)\d{1,2}年|\d{1,2}年(?:内|来|间|时间|以来|左右时间)",
        ("连续3年获得A等", "用5年时间"),
        ("新增5家",),
    ),
    Rule(
        "month range",
        r"\d{1,2}\s*(?:至|-|~|—|–)\s*\d{1,2}月",
        ("1至3月", "1-6月"),
    ),
    Rule(
        "table or figure label",
        r"(?:表|图|附表|附件|专栏)\d+(?:-\d+)?",
        ("表1 主要指标", "专栏3"),
    ),
    Rule(
        "enumeration",
        r"\(\d{1,2}\)|[①-⑳]",
        ("主要包括:(1)标准;(2)计量",),
        ("(口袋公园5个)",),
    ),
    Rule(
        "code or address",
        r"[\w.\-]+@[\w.\-]+|https?://\S+|www\.\S+|[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]+[A-Za-z\d]*"
        r"|\d{6,}(?:/\d{4}-\d+)?|\d{3,4}-\d{7,8}",
        ("长三角G60科创走廊", "tczlglk@163.com", "014184576/2022-00090", "020-87597270"),
        ("96.8%以上",),
    ),
    Rule(
        "baseline",
        r"(?:由|从)(?:\d{4}年(?:底|末)?的?)?\d+(?:\.\d+)?[^,。;由从]{0,8}?"
        r"(?:提高|提升|增加|增长|下降|降低|减少|上升|扩大|缩小|压缩|缩短)(?=到|至)",
        ("合格率从2020年的93%提高到95%", "由5天压缩到3天", "由93%提升至95%"),
        ("提高到95%",),
    ),
    Rule("version", r"\d+(?:\.\d+)?版", ("“10分钟文化圈”2.0版",)),
    Rule(
        "name in quotes",
        r"“[^”\n]{0,24}”|《[^》\n]{0,60}》|「[^」\n]{0,24}」|\"[^\"\n]{0,24}\"",
        ("“10分钟文化圈”", "《“苏州制造”品牌认证三年行动方案(2021~2023年)》", "“昆仑2022”"),
    ),
    Rule(
        "named day",
        r"双\d+|(?<![\d.])\d+(?![个家项张条户次轮座所台批件名人位种万亿千])(?=(?:中国|全国|世界|国际)?[\u4e00-\u9fff]{0,3}(?:日|节|周)(?![间常]))",
        ("510中国品牌日", "双12苏州购物节"),
        ("新建5家老年人日间照料服务中心", "培训3天", "压缩到1个工作日内"),
    ),
    Rule(
        "age class",
        r"\d+(?:周)?岁(?:以下|以上|及以上|至\d+岁)?的?"
        r"(?:婴幼儿|儿童|老年人|老人|人口|人群|青少年|学生|妇女|幼儿|适龄)",
        ("每千人口拥有3岁以下婴幼儿托位数达到4.5个", "60岁以上老年人"),
        ("人均预期寿命达到80岁",),
    ),
    Rule(
        "numbered name",
        r"\d+(?:\+\d*[A-Za-z\d]*)+|\d+(?=\+[A-Za-z\d])",
        ("构建“1+N”政策体系", "1+3+N发展格局"),
    ),
    Rule(
        "size class",
        r"\d+(?:\.\d+)?(?:万|亿)?(?:吨|千瓦|平方米|元)(?:及|以上|以下)*(?:的|规模)?(?:企业|项目|工业企业)",
        ("年主营业务收入2000万元以上企业",),
    ),
)

#: Units a quantity may carry, longest first once expanded by :func:`unit_pattern`.
COUNT_UNITS: tuple[str, ...] = (
    "个",
    "家",
    "项",
    "张",
    "条",
    "批次",
    "批",
    "台",
    "套",
    "户",
    "次",
    "人次",
    "轮",
    "座",
    "所",
    "件",
    "名",
    "人",
    "位",
    "种",
    "款",
    "类",
    "处",
    "场",
    "期",
    "篇",
    "份",
    "栋",
    "辆",
    "艘",
    "宗",
    "起",
    "例",
    "只",
    "头",
    "株",
    "棵",
    "支",
    "本",
    "册",
    "部",
    "间",
    "床",
    "枚",
    "块",
    "片",
    "门",
    "届",
    "节",
    "所",
    "村",
    "镇",
    "园",
    "区",
    "万户",
    "公里",
)
TIME_UNITS: tuple[str, ...] = ("个工作日", "工作日", "小时", "分钟", "天", "日", "个月", "周")
PHYSICAL_UNITS: tuple[str, ...] = (
    "平方米",
    "平方公里",
    "公顷",
    "亩",
    "米",
    "千米",
    "公里",
    "吨标准煤",
    "吨",
    "千克",
    "公斤",
    "元",
    "美元",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "立方米",
    "岁",
    "分",
    "万人次",
    "台件",
    "台(件)",
    "家次",
    "斤",
    "标准箱",
)
PER_UNITS: tuple[str, ...] = (
    "微克/立方米",
    "毫克/立方米",
    "毫克/升",
    "批次/千人",
    "件/万人",
    "人/万人",
    "个/万人",
    "起/万台",
    "人/万台",
    "吨/万元",
    "吨标准煤/万元",
    "立方米/万元",
)
_MULTIPLIERS = ("万亿", "亿", "万", "千", "百")
UNITS: tuple[str, ...] = PER_UNITS + TIME_UNITS + PHYSICAL_UNITS + COUNT_UNITS


def unit_pattern() -> str:
    """A regex alternation of every unit (with 万/亿 multipliers), longest first."""
    forms = {"%", "‰", "个百分点", "百分点"}
    for unit in UNITS:
        forms.add(unit)
        for m in _MULTIPLIERS:
            if unit not in TIME_UNITS and "/" not in unit:
                forms.add(m + unit)
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


#: Chinese numerals read as counts when a counting word follows (两轮, 三个).
#: 一 is left out: 一批, 一个, 一系列 are articles far more often than counts.
CHINESE_DIGITS: dict[str, int] = {
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

#: What a clause may open with that is not part of an indicator's name.
LEADING_CONNECTIVES = re.compile(
    r"^(?:——|—|-|\s)*(?:其中|同时|并且|并|确保|力争|争取|努力|稳步实现|实现|全年|年内|当年|"
    r"到\d{4}年(?:底|末)?|\d{4}年(?:底|末)?(?:前)?|全市|全县|全省|全区|全州|全镇|我市|我县|我省|"
    r"每年|每月|每季度|每周|各地|累计)*"
)

#: Verbs between an indicator's name and its number: stripped from the name;
#: the ones that say "maintain" mark the condition maintained.
TRAILING_VERBS = re.compile(
    r"(?P<verb>(?:力争|争取|努力)?(?:均|分别|继续|持续|始终|全部|总体|整体|稳步)?"
    r"(?:达到|达|为|在|是|至|到|提高到|提升到|提高至|提升至|增加到|增加至|增长到|增至|"
    r"突破|超|保持在|稳定在|保持|稳定|维持在|维持|控制在|完成|实现))+$"
)
MAINTAIN_WORDS = re.compile(r"保持|稳定|维持|每月|每季度|每周|每年")

#: Words before a number that describe what is, not what is promised (围绕全市9个产业集群,
#: 全市共有规上企业1200家): such a number is listed as unread, not drafted.
NOT_A_COMMITMENT = re.compile(
    r"(?:围绕|聚焦|针对|依托|按照|根据|对照|立足|涉及|包括|共有|现有|已有|已经|已(?![经有])|"
    r"其中有|累计已|目前|现已|截至目前)[^,;。]{0,10}$"
)

#: Verbs that open a commitment whose counted thing follows the number (新增300张床位).
ACTION_VERBS = re.compile(
    r"(?:新增|新建|新辟|建成|建设|完成|实施|培育|创建|打造|认定|遴选|开展|举办|组织|制定|"
    r"制修订|修订|发布|引进|推广|改造|提档升级|诊断服务|服务|培训|新改扩建|改扩建|扶持|"
    r"支持|带动|吸引|推动|建立|获得|新培育|评选|选树|命名|形成|落地)$"
)

#: Words that make a draft target aspirational (力争, with its clause as scope).
ASPIRATIONAL = re.compile(r"力争|争取|努力")

#: How an indicator's name ends when it names a measured quantity; coordinated
#: names are split only when every part ends so (A率和B率均达到...).
HEADS = re.compile(
    r"(?:率|满意度|比重|比例|占比|指数|数|(?<!质)量|人数|起数|总数|总量|面积|规模|时间|强度|密度|"
    r"覆盖面|得分|收入|产值|增加值|产量|投资)(?:控制指标|控制|指标)?$"
)

FLOW_WORDS = re.compile(
    r"新增|年新增|新建|新辟|完成|实施|培育|创建|建成|认定|遴选|开展|举办|组织|获得|制定|"
    r"制修订|诊断|提档升级|改造|申报|发布|引进|培训|年度"
)
STOCK_WORDS = re.compile(r"总数|总量|累计|有效|拥有量|保有量|注册量|数达|总计|存量")
LOWER_IS_BETTER_WORDS = re.compile(
    r"事故|死亡|亡人|伤亡|起数|能耗|排放|污染|投诉|隐患|时间|时长|天数|发生率|不合格|违法|"
    r"犯罪|失业率|负债|PM|降幅|损失|空置|问题"
)
