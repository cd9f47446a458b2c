"""Write the observation-file corpus: small files shaped like the ones agencies send.

ILLUSTRATIVE figures, not official statistics. The files are committed; this
script says how each was made, and re-running it rewrites them (the ``.xls``
file needs ``xlwt``, which nothing else needs: ``pip install xlwt``).

    python tests/data/observations/make_corpus.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# What Excel in zh-CN writes when "CSV (逗号分隔)" is chosen: GBK, a title line,
# Chinese headers, thousands separators, dashes and 暂无 for missing figures.
GBK_CSV = (
    "表1 2022年质量指标完成情况(示例数据)\n"
    "指标名称,年份,数值,单位,地区\n"
    "制造业产品质量合格率,2022,96.9,%,城厢镇\n"
    "制造业产品质量合格率,2022,—,%,沙溪镇\n"
    "制造业产品质量合格率,2022,暂无,%,浏河镇\n"
    '新增智能工厂(车间)数,2022,"1,250",家,城厢镇\n'
    "新增智能工厂(车间)数,2022,１２,家,沙溪镇\n"
    "公众质量总体满意度指数,2022,81.2,分,城厢镇\n"
)

# Values written with their unit in the cell, as a statistics bulletin prints them.
UNITS_IN_CELLS = (
    "indicator_id,period,value,region\n"
    "manufacturing-pass-rate,2022,99.5%,城厢镇\n"
    "manufacturing-pass-rate,2022,96.1％,沙溪镇\n"
    "new-smart-factories,2022,12家,城厢镇\n"
    "food-sampling-per-capita,2022,7批次/千人,城厢镇\n"
    "food-sampling-per-capita,2022,-,沙溪镇\n"
)


def main() -> None:
    """Write every corpus file."""
    (HERE / "gbk_title_line.csv").write_bytes(GBK_CSV.encode("gbk"))
    (HERE / "utf8_bom.csv").write_bytes(GBK_CSV.encode("utf-8-sig"))
    # Excel's "Unicode text (*.txt)": UTF-16 with a byte-order mark, tab-separated.
    (HERE / "excel_unicode_text.tsv").write_bytes(
        GBK_CSV.replace(",", "\t").replace('"1\t250"', "1,250").encode("utf-16")
    )
    (HERE / "units_in_cells.csv").write_text(UNITS_IN_CELLS, encoding="utf-8")
    _wide_xlsx(HERE / "wide_chinese.xlsx")
    try:
        _legacy_xls(HERE / "legacy.xls")
    except ImportError:
        print("xlwt is not installed: legacy.xls left as it is")


def _wide_xlsx(path: Path) -> None:
    """A wide table (one column per year) under a merged title, rates formatted as %."""
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes["A1"] = "示例数据,非官方统计 (illustrative, not official)"
    sheet = book.create_sheet("指标")
    sheet["A1"] = "太仓市质量指标(2021—2023年)"
    sheet.merge_cells("A1:E1")
    sheet.append(["指标", "单位", "2021", "2022", "2023"])
    sheet.append(["制造业产品质量合格率", "%", 0.962, 0.969, None])
    sheet.append(["新增智能工厂(车间)数", "家", 8, 12, "暂无"])
    sheet.append(["公众质量总体满意度指数", "分", 80.4, 81.2, "—"])
    for cell in ("C3", "D3"):
        sheet[cell].number_format = "0.0%"
    book.save(path)


def _legacy_xls(path: Path) -> None:
    """An Excel 97-2003 workbook, as older office systems still export."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    percent = xlwt.easyxf(num_format_str="0.0%")
    for c, text in enumerate(["指标", "年份", "数值", "单位", "地区"]):
        sheet.write(0, c, text)
    rows = [
        ("制造业产品质量合格率", "2022", 0.969, "%", "城厢镇"),
        ("新增智能工厂(车间)数", "2022", 12, "家", "城厢镇"),
        ("公众质量总体满意度指数", "2022", "—", "分", "城厢镇"),
    ]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c == 2 and r == 1:
                sheet.write(r, c, value, percent)
            else:
                sheet.write(r, c, value)
    book.save(str(path))


if __name__ == "__main__":
    main()
