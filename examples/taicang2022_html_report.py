"""
Taicang 2022 quality plan: a report to hand over
================================================

Judge the Taicang 2022 quality plan (太政办〔2022〕64号) against the example
observations and milestone reports, and write the result as one self-contained
HTML page and an Excel workbook — what ``policytargets report`` does on the
command line::

    policytargets report taicang2022 examples/data/taicang2022_observations.csv \\
        --milestones examples/data/taicang2022_milestones.csv --out report.html

The figures are ILLUSTRATIVE, NOT OFFICIAL RESULTS: the data files say so in
their notes, and the report carries a banner saying so.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import policytargets as pt

DATA = Path(__file__).resolve().parent / "data"

report = pt.report(
    pt.taicang2022.plan,
    DATA / "taicang2022_observations.csv",
    milestones=DATA / "taicang2022_milestones.csv",
    lang="zh",
)
print(repr(report))

# %%
# The tables behind the page are DataFrames: here, the scorecard by lead owner.

print(pt.text_table(report.owners_table().drop(columns="owner_id").head(8), width=100))

# %%
# Write the page (and, with the ``excel`` extra, the workbook). The page has
# no script and loads nothing: it can be emailed as it is.

out = Path(tempfile.mkdtemp()) / "taicang2022_report.html"
report.write(out)
print(f"wrote {out} ({out.stat().st_size:,} bytes)")

# %%
# The report as it renders (in a notebook, the last expression of a cell shows
# it the same way):

report  # noqa: B018 (sphinx-gallery and notebooks show the last expression)
