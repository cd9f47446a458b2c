"""The Taicang 2022 quality plan (太政办〔2022〕64号), encoded in full.

《2022年太仓市质量强市工作要点》, the work points of the Taicang municipal
government for building a "quality city" in 2022, as a :class:`policytargets.Plan`::

    >>> from policytargets import taicang2022
    >>> plan = taicang2022.plan
    >>> plan.target("manufacturing-pass-rate").describe()
    '制造业产品质量合格率达到96.8%以上'
    >>> plan.section_of("green-space")
    '三.(四).15'

The encoding reads like the document, in its order: section 一 总体要求,
section 二 主要目标 (four goals with their targets) and section 三 重点任务
(seven headings and twenty tasks), each with its 责任部门 note. How the
wording became conditions:

- 达到 X 以上, 不低于 X, 不少于 X, X 及以上: :class:`~policytargets.AtLeast`;
- a bare number after 新增, 完成, 新建, 达: :class:`~policytargets.Point`
  (exceeding it is met), except 1小时到货, read as within the hour
  (:class:`~policytargets.AtMost`);
- 100%, 全覆盖: ``AtLeast(100)``; 保持 / 稳定在 … 以上 and 每月 … 不少于:
  :class:`~policytargets.Maintained`;
- 左右: :class:`~policytargets.Approximately` within ±``ABOUT`` (10 %);
  1~2个: :class:`~policytargets.Between`; 较上年增长5%:
  :class:`~policytargets.RelativeChange`; 逐渐下降, 持续下降, 提升, 提高 a named
  rate: :class:`~policytargets.Improve`;
- 力争, 争取: ``aspirational=True``.

Every target quotes the words it comes from (``target.source.text``), and
each quotation is checked against ``SOURCE_TEXT``, the document as
published, shipped with the package.

Owners: the document never says who leads (no 牵头, no ★, no rule that the
first named unit leads), so each 责任部门 note is read unranked
(``Role.RESPONSIBLE``). Where a section's note covers commitments in several
bureaus' fields, each commitment is given to the note's owners in whose field
it lies (engineering awards to 市住建局 and 市交运局, the farm-produce pass rate
to 市农业农村局), with the note's 各区镇; that is an encoding judgement, and the
commitment's source clause says so in its ``note``.

The module holds:

- ``plan``: the plan;
- ``SOURCE_TEXT``: the document's text, as published on the Taicang government site;
- ``OWNERS``: the owner registry (departments, towns and districts, collectives);
- ``ABOUT``: the relative tolerance read into 左右.
"""

from __future__ import annotations

import policytargets as pt

from ._clauses import ABOUT, PERIOD, SOURCE_TEXT
from ._key_tasks import key_tasks
from ._main_goals import general_requirements, main_goals
from ._owners import OWNERS

__all__ = ["ABOUT", "OWNERS", "SOURCE_TEXT", "plan"]

#: The addressee line, one body a part. Where the line lets one suffix serve
#: several names (太仓港经济技术开发区、太仓高新区、旅游度假区管委会), it is
#: written out for each.
_ADDRESSEES = (
    "各镇人民政府",
    "太仓港经济技术开发区管委会",
    "太仓高新区管委会",
    "旅游度假区管委会",
    "科教新城管委会",
    "娄东街道办事处",
    "陆渡街道办事处",
    "市各委办局",
    "各直属单位",
    "健雄学院",
)

plan: pt.Plan = pt.Plan(
    id="taicang2022",
    title=pt.Label(
        zh="2022年太仓市质量强市工作要点",
        en="Taicang Quality City Work Points for 2022",
    ),
    period=PERIOD,
    issuer=pt.Label(
        zh="太仓市人民政府办公室",
        en="General Office of the Taicang Municipal People's Government",
    ),
    document_number="太政办〔2022〕64号",
    issued="2022-06-02",
    published="2022-06-06",
    validity="valid",
    url="http://www.taicang.gov.cn/taicang/zfbwj/202206/cefd1c94df4b44dbaef11c767a89cc97.shtml",
    addressees=_ADDRESSEES,
    goals=(general_requirements(), main_goals(), key_tasks()),
    owners=OWNERS,
)
