"""Quantities print with the units plans write, never with pint's internal names."""

from __future__ import annotations

import pytest

import policytargets as pt


class TestQuantityDisplay:
    """str() and format() of the library's quantities use the Chinese symbols."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("10.9万平方米", "10.9 万平方米"),
            ("7批次/千人", "7.0 批次/千人"),
            ("96.8%", "96.8 %"),
            ("2个百分点", "2.0 百分点"),
            ("400亩", "400.0 亩"),
            ("35家", "35.0 家"),
        ],
    )
    def test_str_uses_the_plan_units(self, text: str, shown: str) -> None:
        """10.9 万平方米, not 10.9 wansquare_meter_zh."""
        quantity = pt.parse_quantity(text)
        assert str(quantity) == shown
        assert f"{quantity}" == shown
        assert "_zh" not in str(quantity.units)

    def test_threshold_in_another_unit(self) -> None:
        """A derived requirement prints in the unit asked for."""
        target = pt.taicang2022.plan.target("green-space")
        assert str(pt.threshold_in(target, "亩")).endswith(" 亩")

    def test_internal_names_on_request(self) -> None:
        """Code that needs pint's names asks for the "D" format."""
        assert format(pt.parse_unit("万平方米"), "D") == "wansquare_meter_zh"
        assert format(pt.parse_unit("%"), "D") == "percent"
