"""Text columns held by pyarrow are numbered as pandas numbers them, on every route.

``prepare`` numbers text (ids, periods, units, breakdowns) with pyarrow's
dictionary encoding when pyarrow holds it (pandas 3's ``str``, ``ArrowDtype``),
and through runs of equal values when a long column repeats its values (sorted
exports); the codes and distinct values must be exactly those of
``pd.factorize`` on the same values as Python objects, and ``evaluate`` the
same whatever the storage. Example data are illustrative.
"""

from __future__ import annotations

import importlib
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policytargets as pt
from test_evaluate import _evaluate_or_error, plans_and_observations

# The module, not the function of the same name that the package exports.
prepare_module = importlib.import_module("policytargets._evaluation.prepare")

#: Short texts and missing values, often repeated, so that runs occur.
_texts = st.lists(
    st.one_of(st.sampled_from(["t1", "t2", "2022", "", "合格率", " t1"]), st.none()),
    max_size=40,
).flatmap(
    lambda values: st.lists(st.integers(1, 5), min_size=len(values), max_size=len(values)).map(
        lambda repeats: [v for v, r in zip(values, repeats, strict=True) for _ in range(r)]
    )
)


def _storages(values: list[str | None], cut: int) -> list[pd.Series[Any]]:
    """The values as pandas 3's ``str``, and as a chunked ``ArrowDtype`` and ``str``."""
    chunks = [values[:cut], values[cut:]]
    arrow = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], pa.large_string())
    return [
        pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
        pd.Series(pd.arrays.ArrowExtensionArray(arrow)),
        pd.Series(
            pd.array(
                pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks]),
                dtype=pd.StringDtype("pyarrow", na_value=np.nan),
            )
        ),
    ]


@pytest.fixture(params=[False, True], ids=["encoded", "through-runs"])
def runs(request: pytest.FixtureRequest) -> Any:
    """Both routes: pyarrow's encoding of every row, and of one row a run (forced)."""
    if not request.param:
        yield
        return
    with (
        mock.patch.object(prepare_module, "RUN_ROWS", 1),
        mock.patch.object(prepare_module, "_few_runs", return_value=True),
    ):
        yield


class TestCodes:
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=_texts, cut=st.integers(0, 200))
    @pytest.mark.usefixtures("runs")
    def test_codes_and_values_are_pandas_own(self, values: list[str | None], cut: int) -> None:
        objects = pd.Series(values, dtype=object)
        want_codes, want_values = pd.factorize(objects, use_na_sentinel=True)
        by_codes, by_values = pd.factorize(objects, use_na_sentinel=False)
        for series in _storages(values, min(cut, len(values))):
            codes, distinct = prepare_module._factorize(series)
            assert codes.tolist() == want_codes.tolist()
            assert distinct == list(want_values)
            codes, index = prepare_module._by_codes(series)
            # The breakdown: the same groups (a missing value is a group of its own).
            assert codes.tolist() == by_codes.tolist()
            assert [None if pd.isna(v) else v for v in index] == [
                None if pd.isna(v) else v for v in by_values
            ]

    def test_a_long_sorted_column_goes_through_runs(self) -> None:
        """Long enough and changing rarely: runs; changing every row: every row encoded."""
        n = prepare_module.RUN_ROWS
        sorted_ids = pd.Series(np.repeat(["t1", "t2", "t3", None], n // 4), dtype="str")
        interleaved = pd.Series(np.tile(["t1", "t2", "t3", None], n // 4), dtype="str")
        with mock.patch.object(
            prepare_module, "_run_factorize", wraps=prepare_module._run_factorize
        ) as through_runs:
            codes, distinct = prepare_module._factorize(sorted_ids)
            assert through_runs.call_count == 1
            prepare_module._factorize(interleaved)
            assert through_runs.call_count == 1
        assert distinct == ["t1", "t2", "t3"]
        assert np.array_equal(codes, np.repeat(np.array([0, 1, 2, -1], dtype=np.int32), n // 4))


class TestEvaluateWhateverTheStorage:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(plans_and_observations())
    @pytest.mark.usefixtures("runs")
    def test_object_str_and_arrow_text_give_one_result(self, data: Any) -> None:
        plan, frame = data
        frame = frame.sort_values(["target_id", "period"], kind="stable")
        text = ["target_id", "region", "period", "unit"]
        as_objects = frame.astype(dict.fromkeys(text, object))
        as_arrow = frame.astype(dict.fromkeys(text, pd.ArrowDtype(pa.large_string())))
        want = _evaluate_or_error(plan, as_objects)
        for other in (frame.astype(dict.fromkeys(text, "str")), as_arrow):
            got = _evaluate_or_error(plan, other)
            if isinstance(want, pt.ObservationError):
                assert isinstance(got, pt.ObservationError)
                assert str(got) == str(want)
                continue
            assert not isinstance(got, Exception), got
            # Text columns of the result keep their input's storage (a missing region
            # is None, NaN or <NA> by it): compare the values.
            pd.testing.assert_frame_equal(
                _plain_text(got), _plain_text(want), check_exact=True, check_dtype=False
            )


def _plain_text(result: pd.DataFrame) -> pd.DataFrame:
    text = [c for c in ("target_id", "region") if c in result]
    plain = result.astype(dict.fromkeys(text, object))
    for column in text:
        plain[column] = plain[column].where(plain[column].notna(), None)
    return plain


class TestTwoAtATime:
    def test_columns_encoded_on_two_threads_are_each_column_own(self) -> None:
        """On a long table the text columns are numbered two at a time: the same codes."""
        from policytargets._evaluation.chunks import serial

        frame = pd.DataFrame(
            {
                "target_id": pd.Series(["t1", "t2", None, "t1"] * 3, dtype="str"),
                "period": pd.Series(["2022", "2023"] * 6, dtype="str"),
                "unit": pd.Series(["%", "‰", "%"] * 4, dtype="str"),
                "value": 1.0,
            }
        )
        names = ["target_id", "period", "unit", "value", "absent"]
        with mock.patch.object(prepare_module, "RUN_ROWS", 1):
            together = prepare_module._encode_text(frame, names)
            with serial():
                alone = prepare_module._encode_text(frame, names)
        assert set(together) == set(alone) == {"target_id", "period", "unit"}
        for name, (codes, values) in together.items():
            want_codes, want_values = prepare_module._arrow_factorize(frame[name])
            assert codes.tolist() == want_codes.tolist() == alone[name][0].tolist()
            assert values.to_pylist() == want_values.to_pylist()
        # A short table: nothing worked out ahead.
        assert prepare_module._encode_text(frame, names) == {}
