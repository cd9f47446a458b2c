"""The owner registry: every body the 责任部门 notes name, and the two collectives.

Owner ids are the names as :func:`policytargets.parse_owner_note` returns
them (``市市场监管局``: the note's leading 市 applied), so the notes can be
used as written. Each owner also carries its full official name, an English
name, and the short form the notes use (``市场监管局``) as an alias.
"""

from __future__ import annotations

import policytargets as pt

__all__ = ["DISTRICTS", "MEMBER_UNITS", "OWNERS", "TOWNS"]


def _department(owner_id: str, zh: str, en: str, *aliases: str) -> pt.Owner:
    return pt.Owner(id=owner_id, name=pt.Label(zh=zh, en=en), kind="department", aliases=aliases)


def _organisation(owner_id: str, zh: str, en: str, *aliases: str) -> pt.Owner:
    return pt.Owner(id=owner_id, name=pt.Label(zh=zh, en=en), kind="organisation", aliases=aliases)


def _district(owner_id: str, zh: str, en: str) -> pt.Owner:
    return pt.Owner(id=owner_id, name=pt.Label(zh=zh, en=en), kind="district")


#: The municipal departments and other bodies named in the notes, in order of
#: first appearance in the document.
_NAMED: tuple[pt.Owner, ...] = (
    _department(
        "市市场监管局",
        "太仓市市场监督管理局",
        "Taicang Administration for Market Regulation",
        "市场监管局",
    ),
    _department(
        "市住建局",
        "太仓市住房和城乡建设局",
        "Taicang Housing and Urban-Rural Development Bureau",
        "住建局",
    ),
    _department("市交运局", "太仓市交通运输局", "Taicang Transport Bureau", "交运局"),
    _department(
        "市农业农村局",
        "太仓市农业农村局",
        "Taicang Agriculture and Rural Affairs Bureau",
        "农业农村局",
    ),
    _department("市水务局", "太仓市水务局", "Taicang Water Affairs Bureau", "水务局"),
    _department(
        "市工信局",
        "太仓市工业和信息化局",
        "Taicang Industry and Information Technology Bureau",
        "工信局",
    ),
    _department(
        "市发改委",
        "太仓市发展和改革委员会",
        "Taicang Development and Reform Commission",
        "发改委",
    ),
    _department("市城管局", "太仓市城市管理局", "Taicang Urban Management Bureau", "城管局"),
    _department("市科技局", "太仓市科学技术局", "Taicang Science and Technology Bureau", "科技局"),
    _department(
        "市委宣传部",
        "中共太仓市委宣传部",
        "Publicity Department of the CPC Taicang Municipal Committee",
    ),
    _department("市商务局", "太仓市商务局", "Taicang Commerce Bureau", "商务局"),
    _department(
        "市人社局",
        "太仓市人力资源和社会保障局",
        "Taicang Human Resources and Social Security Bureau",
        "人社局",
    ),
    _organisation("市总工会", "太仓市总工会", "Taicang Federation of Trade Unions", "总工会"),
    _department(
        "市行政审批局", "太仓市行政审批局", "Taicang Administrative Approval Bureau", "行政审批局"
    ),
    _department("市教育局", "太仓市教育局", "Taicang Education Bureau", "教育局"),
    _department("市应急局", "太仓市应急管理局", "Taicang Emergency Management Bureau", "应急局"),
    _department("市公安局", "太仓市公安局", "Taicang Public Security Bureau", "公安局"),
    _department(
        "市文体广旅局",
        "太仓市文体广电和旅游局",
        "Taicang Culture, Sports, Radio, Television and Tourism Bureau",
        "文体广旅局",
    ),
    _department("市卫健委", "太仓市卫生健康委员会", "Taicang Health Commission", "卫健委"),
    _department("市民政局", "太仓市民政局", "Taicang Civil Affairs Bureau", "民政局"),
    _department(
        "市资规局",
        "太仓市自然资源和规划局",
        "Taicang Natural Resources and Planning Bureau",
        "资规局",
    ),
    _organisation(
        "市委党校", "中共太仓市委党校", "Party School of the CPC Taicang Municipal Committee"
    ),
    _department(
        "市质量强市领导小组办公室",
        "太仓市质量强市领导小组办公室",
        "Office of the Taicang Quality City Leading Group",
        "质量强市领导小组办公室",
    ),
)

#: Taicang's six towns. The addressee line says only 各镇人民政府 ("the people's
#: governments of every town"); the names come from Taicang's administrative
#: divisions, not from this document.
TOWNS: tuple[pt.Owner, ...] = (
    _district("城厢镇", "太仓市城厢镇", "Chengxiang Town"),
    _district("沙溪镇", "太仓市沙溪镇", "Shaxi Town"),
    _district("浏河镇", "太仓市浏河镇", "Liuhe Town"),
    _district("浮桥镇", "太仓市浮桥镇", "Fuqiao Town"),
    _district("璜泾镇", "太仓市璜泾镇", "Huangjing Town"),
    _district("双凤镇", "太仓市双凤镇", "Shuangfeng Town"),
)

#: The zones and sub-districts the addressee line names, as it names them.
DISTRICTS: tuple[pt.Owner, ...] = (
    _district(
        "太仓港经济技术开发区",
        "太仓港经济技术开发区",
        "Taicang Port Economic and Technological Development Zone",
    ),
    _district("太仓高新区", "太仓高新技术产业开发区", "Taicang High-tech Zone"),
    _district("旅游度假区", "旅游度假区", "Taicang Tourism Resort"),
    _district("科教新城", "太仓科教新城", "Taicang Science and Education New Town"),
    _district("娄东街道", "太仓市娄东街道", "Loudong Subdistrict"),
    _district("陆渡街道", "太仓市陆渡街道", "Ludu Subdistrict"),
)

#: The member units of the quality-city leading group. The document does not
#: list them; we take every department and body its notes name, except the
#: group's own office, which coordinates them.
MEMBER_UNITS: tuple[str, ...] = tuple(
    owner.id for owner in _NAMED if owner.id != "市质量强市领导小组办公室"
)

#: The whole registry, in the order a report lists it.
OWNERS: tuple[pt.Owner, ...] = (
    *_NAMED,
    pt.Owner(
        id="各区镇",
        name=pt.Label(zh="各区镇", en="every town and district"),
        kind="collective",
        members=tuple(owner.id for owner in (*TOWNS, *DISTRICTS)),
    ),
    pt.Owner(
        id="各成员单位",
        name=pt.Label(zh="各成员单位", en="every member unit of the leading group"),
        kind="collective",
        members=MEMBER_UNITS,
    ),
    *TOWNS,
    *DISTRICTS,
)
