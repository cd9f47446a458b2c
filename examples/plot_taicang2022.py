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
MILESTONES = DATA.with_name("taicang2022_milestones.csv")
plan = pt.taicang2022.plan

# %%
# Read the observations
# ---------------------
# Both files start with a comment line saying the figures are illustrative, which
# :func:`policytargets.read_observations` skips. Targets have a value and a unit; milestones
# (things to do, with no number) are reported in their own file as 1 (done) or 0 (not done).

observations = pt.read_observations(DATA)
reports = pd.read_csv(MILESTONES, comment="#", dtype={"period": str})
print(f"{len(observations)} target observations, {len(reports)} milestone reports")

# %%
# Evaluate
# --------
# :func:`policytargets.evaluate` judges every target at once; milestones are assessed one by
# one with :func:`policytargets.assess`.

results = pt.evaluate(plan, observations)
milestones = [
    pt.assess(plan.milestone(row.milestone_id), row.done == 1) for row in reports.itertuples()
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
