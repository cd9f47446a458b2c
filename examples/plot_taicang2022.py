"""
Plotting the Taicang 2022 plan's progress
=========================================

Evaluate the Taicang 2022 quality plan (太政办〔2022〕64号) against the observations in
``examples/data/taicang2022_observations.csv`` and draw the three plots of
:mod:`policytargets.plotting`: progress against each target, a scorecard per owner, and a
summary of statuses.

The observations are ILLUSTRATIVE FIGURES, NOT OFFICIAL RESULTS: they were invented to
show the library at work.
"""

from pathlib import Path

import pandas as pd

import policytargets as pt
from policytargets import plotting

DATA = Path(__file__).resolve().parent / "data" / "taicang2022_observations.csv"
plan = pt.taicang2022.plan

# %%
# Read the observations
# ---------------------
# The file starts with a comment line saying the figures are illustrative. Milestones
# (things to do, with no number) are reported as 1 (done) or 0 (not done); targets have a
# value and a unit.

observations = pd.read_csv(DATA, comment="#", dtype={"period": str, "unit": str})
milestone_ids = {m.id for m in plan.milestones()}
is_milestone = observations["target_id"].isin(milestone_ids)
print(f"{(~is_milestone).sum()} target observations, {is_milestone.sum()} milestone reports")

# %%
# Evaluate
# --------
# :func:`policytargets.evaluate` judges every target at once; milestones are assessed one by
# one with :func:`policytargets.assess`.

results = pt.evaluate(plan, observations[~is_milestone])
milestones = [
    pt.assess(plan.milestone(row.target_id), bool(row.value))
    for row in observations[is_milestone].itertuples()
]
print(results["status"].value_counts()[lambda counts: counts > 0].to_string())

# %%
# Progress against the main goals
# --------------------------------
# Section 二 (主要目标) of the plan holds its headline numbers. Each bar is the judged value
# as a share of the threshold; the black line is the threshold, and past it is better than
# required whichever way the indicator improves.

main_goals = {t.id for g in plan.goal("2").goals for t in g.targets}
plotting.plot_progress(plan, results[results["target_id"].isin(main_goals)])

# %%
# A scorecard per owner
# ---------------------
# For each department (rows) and heading of the plan (columns), the share of the targets it
# leads that are met or on track.

plotting.plot_scorecard(plan, results)

# %%
# Statuses by heading, milestones included
# ----------------------------------------

milestone_rows = pd.DataFrame(
    {"target_id": [m.target_id for m in milestones], "status": [m.status.value for m in milestones]}
)
everything = pd.concat([results[["target_id", "status"]].astype(str), milestone_rows])
plotting.plot_status_summary(plan, everything)
