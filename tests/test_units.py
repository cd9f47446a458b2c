"""Units: parsing plan text, the plan units, conversion, and foreign registries."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pint
import pytest
from hypothesis import given

import policytargets as pt
from policytargets import _units
from policytargets.testing import period_texts, quantity_texts


def base(text: str) -> tuple[float, str]:
    """A quantity's magnitude and dimensionality in base units, for exact comparison."""
    q = pt.parse_quantity(text).to_base_units()
    return float(q.magnitude), str(q.dimensionality)


class TestParseQuantity:
    """parse_quantity reads quantities as plans write them."""

    @pytest.mark.parametrize(
        ("text", "magnitude", "unit"),
        [
            ("96.8%", 96.8, "%"),
            ("10.9万平方米", 10.9, "万平方米"),
            ("7批次/千人", 7.0, "批次/千人"),
            ("400亩", 400.0, "亩"),
            ("80.40分", 80.4, "分"),
            ("1.5 hectare", 1.5, "公顷"),
            ("35家", 35.0, "家"),
            ("1小时", 1.0, "hour"),
            ("5,873 batch", 5873.0, "批次"),
            ("５,８７３ 批次", 5873.0, "batch"),
            ("９６.８％", 96.8, "%"),
            ("0.57", 0.57, ""),
            ("-3.5‰", -3.5, "‰"),
            (".5%", 0.5, "%"),
            ("1e3 个", 1000.0, "个"),
            ("100 m²", 100.0, "平方米"),
            ("2亿元", 2.0, "亿元"),
            ("12个工作日", 12.0, "day"),
        ],
    )
    def test_reads_the_number_and_the_unit(self, text: str, magnitude: float, unit: str) -> None:
        q = pt.parse_quantity(text)
        assert q.magnitude == pytest.approx(magnitude, rel=1e-15)
        assert pt.conversion_factor(f"{q.units}", unit) == pytest.approx(1.0, rel=1e-12)

    def test_returns_a_quantity_of_the_library_registry(self) -> None:
        assert pt.parse_quantity("96.8%")._REGISTRY is pt.get_registry()

    @pytest.mark.parametrize(
        "text",
        ["abc", "", "   ", "%", "12 foo", "nan %", "inf %", "12 / ", "1..2%", "96.8 %%%x", "4³³5%"],
    )
    def test_refuses_unreadable_text_naming_it(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError) as info:
            pt.parse_quantity(text)
        assert info.value.text == text
        assert repr(text) in str(info.value)

    @pytest.mark.parametrize("text", ["96.5+1", "5 1", "5%1", "5(1)", "1+1", "1+1%"])
    def test_refuses_a_second_number_after_the_number(self, text: str) -> None:
        """pint read the second number as a unit of one: 96.5+1 was 96.5, 5%1 was 5%."""
        with pytest.raises(pt.UnitParseError, match="a second number follows") as info:
            pt.parse_quantity(text)
        assert info.value.text == text

    @pytest.mark.parametrize("text", ["10⁴", "10⁴ 个", "2₂", "①家", "5¹%", "½"])
    def test_refuses_numbers_that_are_not_digits(self, text: str) -> None:
        """NFKC made them digits: 10⁴ was 104, 2₂ was 22, ①家 was 1 家."""
        with pytest.raises(pt.UnitParseError, match="not a digit") as info:
            pt.parse_quantity(text)
        assert info.value.text == text

    @pytest.mark.parametrize(
        ("text", "unit"), [("100m²", "平方米"), ("5 m³", "m**3"), ("2㎡", "m**2")]
    )
    def test_superscript_powers_of_a_unit_are_read(self, text: str, unit: str) -> None:
        """² and ³ after a unit are its power, not digits."""
        q = pt.parse_quantity(text)
        assert pt.conversion_factor(f"{q.units}", unit) == pytest.approx(1.0, rel=1e-12)

    def test_refuses_a_number_too_large_for_a_float(self) -> None:
        with pytest.raises(pt.UnitParseError, match="too large"):
            pt.parse_quantity("1e999%")

    @pytest.mark.parametrize("value", [96.8, None, b"96.8%"])
    def test_refuses_what_is_not_text(self, value: Any) -> None:
        with pytest.raises(pt.UnitParseError, match="expected text"):
            pt.parse_quantity(value)


class TestParseUnit:
    """parse_unit reads unit text and refuses, by name, what is no unit."""

    def test_empty_text_is_dimensionless(self) -> None:
        assert pt.parse_unit("") == pt.get_registry().dimensionless

    @pytest.mark.parametrize(
        "text",
        ["~", "12 / ", "米/0", "%^0", "m^ 0", "+) E³`", '2 """)', "m**2**99", "m ** 1000", "3"],
    )
    def test_garbage_raises_unit_parse_error_not_a_pint_internal(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError) as info:
            pt.parse_unit(text)
        assert info.value.text == text

    def test_non_text_raises_unit_parse_error(self) -> None:
        with pytest.raises(pt.UnitParseError, match="expected text"):
            pt.parse_unit(5)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("zh", "en"),
        [
            ("批次每千人", "批次/千人"),
            ("m^2", "m**2"),
            ("㎡", "m**2"),
            ("％", "%"),
            ("kg·m²/s²", "kg*m**2/s**2"),
        ],
    )
    def test_alternative_spellings_mean_the_same_unit(self, zh: str, en: str) -> None:
        assert pt.parse_unit(zh) == pt.parse_unit(en)


class TestPlanUnits:
    """The plan units carry the values DOMAIN.md gives them."""

    def test_count_is_a_number_of_things_not_a_fraction(self) -> None:
        """pint makes "count" dimensionless; in a plan 35 count is 35个, never 35 %."""
        assert base("35 count") == (35.0, "[count]")
        assert pt.conversion_factor("count", "个") == 1.0
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor("count", "%")

    @pytest.mark.parametrize(
        ("text", "square_metres"),
        [
            ("1亩", 10000 / 15),
            ("1 mu", 10000 / 15),
            ("15亩", 10000.0),
            ("1公顷", 1e4),
            ("1 hectare", 1e4),
            ("1平方米", 1.0),
            ("1万平方米", 1e4),
            ("1平方公里", 1e6),
        ],
    )
    def test_areas(self, text: str, square_metres: float) -> None:
        magnitude, dims = base(text)
        assert dims == "[length] ** 2"
        assert magnitude == pytest.approx(square_metres, rel=1e-12)

    def test_mu_is_the_chinese_area_not_a_micro_prefix(self) -> None:
        assert pt.parse_unit("mu") == pt.parse_unit("亩")
        assert str(pt.parse_quantity("1 mu").dimensionality) == "[length] ** 2"

    @pytest.mark.parametrize(
        ("text", "items"), [("1万个", 1e4), ("1亿个", 1e8), ("1千个", 1e3), ("3万台", 3e4)]
    )
    def test_multipliers(self, text: str, items: float) -> None:
        assert base(text) == (pytest.approx(items, rel=1e-12), "[count]")

    @pytest.mark.parametrize(
        "word", ["个", "家", "项", "张", "条", "批次", "台", "户", "次", "人次", "轮"]
    )
    def test_counting_words_are_counts(self, word: str) -> None:
        assert base(f"2{word}") == (2.0, "[count]")

    @pytest.mark.parametrize(("text", "fraction"), [("1%", 0.01), ("1‰", 0.001)])
    def test_fractions_are_dimensionless(self, text: str, fraction: float) -> None:
        assert base(text) == (pytest.approx(fraction), "dimensionless")

    def test_a_per_capita_value_never_compares_with_a_percentage(self) -> None:
        assert base("7批次/千人")[1] == "[count] / [population]"
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor("批次/千人", "%")

    @pytest.mark.parametrize("other", ["%", "", "个"])
    def test_score_points_are_not_a_percentage_or_a_count(self, other: str) -> None:
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor("分", other)

    def test_a_count_is_not_a_percentage(self) -> None:
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor("个", "%")


class TestConversionFactor:
    """conversion_factor gives the multiplier from one unit to another of its dimension."""

    @pytest.mark.parametrize(
        ("source", "target", "factor"),
        [
            ("%", "", 0.01),
            ("", "%", 100.0),
            ("‰", "%", 0.1),
            ("万平方米", "亩", 15.0),
            ("公顷", "亩", 15.0),
            ("亩", "平方米", 10000 / 15),
            ("批次/千人", "批次/万人", 10.0),
            ("万个", "个", 1e4),
            ("小时", "分钟", 60.0),
            ("亿元", "万元", 1e4),
        ],
    )
    def test_factors(self, source: str, target: str, factor: float) -> None:
        assert pt.conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)

    def test_mismatch_names_both_units_and_their_dimensions(self) -> None:
        with pytest.raises(pt.DimensionMismatchError) as info:
            pt.conversion_factor("批次/千人", "%")
        assert info.value.unit == "批次/千人"
        assert info.value.expected_unit == "%"
        assert "[population]" in str(info.value)

    def test_an_unknown_unit_is_a_unit_parse_error(self) -> None:
        with pytest.raises(pt.UnitParseError):
            pt.conversion_factor("widgets", "个")


class TestForeignRegistries:
    """Quantities of other pint registries are converted at the edge or refused clearly."""

    @pytest.fixture(params=["own", "application"])
    def registry(self, request: pytest.FixtureRequest) -> Any:
        if request.param == "own":
            return pint.UnitRegistry()
        return pint.get_application_registry()

    @pytest.mark.parametrize(
        ("magnitude", "unit", "same_as"),
        [(57, "percent", "57%"), (1.5, "hectare", "22.5亩"), (2, "hour", "120分钟")],
    )
    def test_a_foreign_quantity_converts_to_the_library_registry(
        self, registry: Any, magnitude: float, unit: str, same_as: str
    ) -> None:
        q = pt.to_quantity(registry.Quantity(magnitude, unit))
        assert q._REGISTRY is pt.get_registry()
        expected = pt.parse_quantity(same_as)
        assert q.to(expected.units).magnitude == pytest.approx(expected.magnitude, rel=1e-12)

    def test_a_foreign_quantity_is_judged_by_assess(self, registry: Any) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(en="rate"), kind="rate", unit="%")
        target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=57), period="2022")
        assert pt.assess(target, registry.Quantity(0.57, "")).status is pt.Status.MET
        assert pt.assess(target, registry.Quantity(0.56, "")).status is pt.Status.NOT_MET

    def test_a_foreign_unit_the_library_lacks_is_a_clear_error(self) -> None:
        own = pint.UnitRegistry()
        own.define("widget = [widget]")
        with pytest.raises(pt.PolicyTargetsError, match="define_units") as info:
            pt.to_quantity(own.Quantity(3, "widget"))
        assert isinstance(info.value, pt.UnitParseError)
        assert "widget" in str(info.value)

    def test_a_foreign_registry_with_abbreviated_display_still_converts(self) -> None:
        own = pint.UnitRegistry()
        own.formatter.default_format = "~P"
        q = pt.to_quantity(own.Quantity(2, "km**2/hour"))
        assert q == pt.get_registry().Quantity(2, "km**2/hour")

    def test_a_foreign_mu_keeps_the_meaning_pint_gave_it(self) -> None:
        # pint reads "mu" as milli-atomic-mass units: converted by name, it stays a mass.
        q = pt.to_quantity(pint.UnitRegistry().Quantity(1, "mu"))
        assert str(q.dimensionality) == "[mass]"

    def test_without_conversion_pint_refuses_to_mix_registries(self) -> None:
        # The failure to_quantity exists to avoid.
        with pytest.raises(ValueError, match="different registries"):
            _ = pint.UnitRegistry().Quantity(1, "m") + pt.parse_quantity("1 m")

    @pytest.mark.parametrize("value", [96.8, None, [1]])
    def test_what_is_not_text_or_a_quantity_is_refused(self, value: Any) -> None:
        with pytest.raises(pt.UnitParseError):
            pt.to_quantity(value)

    def test_text_is_parsed(self) -> None:
        assert pt.to_quantity("96.8%") == pt.parse_quantity("96.8%")


@pytest.mark.usefixtures("fresh_registry")
class TestDefineUnits:
    """define_units adds units to the library's registry, and never changes existing ones."""

    def test_a_defined_unit_parses_and_converts(self) -> None:
        pt.define_units("# a crate of test items\ntest_crate = 12 * item = 箱测")
        assert pt.conversion_factor("箱测", "个") == 12.0
        assert base("2 test_crate") == (24.0, "[count]")

    def test_a_defined_prefix_combines_with_units(self) -> None:
        pt.define_units("testbai- = 100 = 测百-")
        assert pt.conversion_factor("测百个", "个") == pytest.approx(100.0)

    def test_definitions_survive_a_rebuilt_registry(self) -> None:
        pt.define_units("test_crate = 12 * item = 箱测")
        _units._registry = None
        _units._clear_caches()
        assert pt.conversion_factor("箱测", "个") == 12.0

    def test_an_invalid_definition_is_a_unit_parse_error(self) -> None:
        with pytest.raises(pt.UnitParseError, match="not a valid pint definition"):
            pt.define_units("this is = not valid = =")

    def test_after_a_bad_line_a_rebuilt_registry_holds_what_this_one_holds(self) -> None:
        """The lines before a bad one stay defined, and survive a rebuild too."""
        with pytest.raises(pt.UnitParseError, match="item = \\[count\\]"):
            pt.define_units("test_crate = 12 * item = 箱测\nitem = [count]\nnever = item")
        _units._registry = None
        _units._clear_caches()
        assert pt.conversion_factor("箱测", "个") == 12.0
        with pytest.raises(pt.UnitParseError):
            pt.parse_unit("never")

    @pytest.mark.parametrize(
        "text", ["item = [count]", "mou = 1000 * meter ** 2", "other_mu = 1000 * meter ** 2 = 亩"]
    )
    def test_redefining_an_existing_unit_is_refused(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError, match="redefine"):
            pt.define_units(text)
        assert pt.conversion_factor("亩", "平方米") == pytest.approx(10000 / 15)
        assert base("2个") == (2.0, "[count]")


class TestRegistry:
    """The registry is one object, built once."""

    def test_get_registry_returns_the_same_registry(self) -> None:
        assert pt.get_registry() is pt.get_registry()

    def test_quantities_of_the_registry_compare_across_units(self) -> None:
        a, b = pt.parse_quantity("15亩"), pt.parse_quantity("1万平方米")
        assert math.isclose(a.to(b.units).magnitude, b.magnitude, rel_tol=1e-12)


class TestUnitLabel:
    """unit_label shows a unit in Chinese as written, or in English word by word."""

    @pytest.mark.parametrize(
        ("unit", "en"),
        [
            ("批次/千人", "batches per 1,000 persons"),
            ("万平方米", "10,000 m²"),
            ("亩", "mu"),
            ("%", "%"),
            ("m**2", "m**2"),
            ("万亿元", "1 trillion yuan"),
            ("吨标准煤/万元", "tce per 10,000 yuan"),
            ("萬平方米", "10,000 m²"),
            ("亿千瓦时", "100 million kWh"),
            ("万人次", "10,000 person-times"),
        ],
    )
    def test_english(self, unit: str, en: str) -> None:
        assert pt.unit_label(unit, "en") == en

    @pytest.mark.parametrize(
        ("value", "unit", "folded"),
        [(1.2, "万亿元", (1.2e12, "yuan")), (3, "萬噸", (3e4, "t")), (2, "亿千瓦时", (2e8, "kWh"))],
    )
    def test_english_folds_multipliers_into_the_number(
        self, value: float, unit: str, folded: tuple[float, str]
    ) -> None:
        from policytargets._unit_names import english_amount

        assert english_amount(value, unit) == (pytest.approx(folded[0]), folded[1])

    def test_chinese_is_the_unit_as_written(self) -> None:
        assert pt.unit_label("批次/千人") == "批次/千人"


class TestTraditionalScript:
    """Traditional script reads wherever simplified does (plans from HK, TW, Macau mirrors)."""

    @pytest.mark.parametrize(
        ("traditional", "simplified"),
        [
            ("3項", "3项"),
            ("7萬件", "7万件"),
            ("1.2億元", "1.2亿元"),
            ("5個", "5个"),
            ("400畝", "400亩"),
            ("2萬噸", "2万吨"),
            ("6張", "6张"),
            ("8條", "8条"),
            ("9戶", "9户"),
            ("3台", "3臺"),
            ("2萬噸標準煤", "2万吨标准煤"),
            ("300萬千瓦時", "300万千瓦时"),
            ("7批次/千人", "7批次/千人"),
            ("十五傢", "十五家"),
            ("兩輪", "两轮"),
        ],
    )
    def test_traditional_reads_as_simplified(self, traditional: str, simplified: str) -> None:
        assert base(traditional) == base(simplified)

    def test_a_traditional_unit_parses_to_the_same_unit(self) -> None:
        assert pt.parse_unit("萬平方米") == pt.parse_unit("万平方米")
        assert pt.conversion_factor("億元", "萬元") == pytest.approx(1e4)


class TestMoneyAndEnergy:
    """Money has a currency dimension; energy in tce and kWh; each at its conversion factor."""

    @pytest.mark.parametrize(
        ("source", "target", "factor"),
        [
            ("万元", "元", 1e4),
            ("亿元", "万元", 1e4),
            ("万亿元", "亿元", 1e4),
            ("万亿元", "元", 1e12),
            ("CNY", "元", 1.0),
            ("吨标准煤", "GJ", 29.3076),
            ("万吨标准煤", "吨标准煤", 1e4),
            ("tce", "吨标准煤", 1.0),
            ("千瓦时", "J", 3.6e6),
            ("度", "千瓦时", 1.0),
            ("万千瓦时", "千瓦时", 1e4),
            ("亿千瓦时", "万千瓦时", 1e4),
            ("吨标准煤", "千瓦时", 29.3076e9 / 3.6e6),
            ("吨", "kg", 1e3),
            ("万吨", "吨", 1e4),
            ("吨二氧化碳", "吨", 1.0),
            ("吨标准煤/万元", "吨标准煤/元", 1e-4),
            ("吨标准煤/万元", "千克标准煤/元", 0.1),
            ("kgce", "公斤标准煤", 1.0),
        ],
    )
    def test_factors(self, source: str, target: str, factor: float) -> None:
        assert pt.conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)

    def test_money_is_a_currency_not_a_number(self) -> None:
        assert _units.dimensionality("元") == "[currency]"
        for other in ("", "%", "个", "kg"):
            assert not _units.is_compatible("万元", other)

    def test_an_intensity_is_energy_per_money_never_per_person(self) -> None:
        q = pt.parse_quantity("0.45吨标准煤/万元")
        assert q.magnitude == 0.45
        assert "[currency]" in str(q.dimensionality)
        assert not _units.is_compatible("吨标准煤/万元", "吨标准煤/万人")
        assert not _units.is_compatible("吨标准煤/万元", "%")

    def test_trillions_of_yuan(self) -> None:
        assert base("1.2万亿元") == (pytest.approx(1.2e12, rel=1e-12), "[currency]")


class TestEverydayWords:
    """Words plans use for areas, lengths, volumes, people and ages."""

    @pytest.mark.parametrize(
        ("source", "target", "factor"),
        [
            ("平米", "平方米", 1.0),
            ("万平米", "平方米", 1e4),
            ("批次/千人", "批次/人", 1e-3),
            ("张/万人口", "张/人", 1e-4),
            ("万人口", "人", 1e4),
            ("人次", "次", 1.0),
            ("万人次", "人次", 1e4),
            ("公里", "米", 1e3),
            ("千米", "公里", 1.0),
            ("立方米", "m**3", 1.0),
            ("万立方米", "立方米", 1e4),
            ("岁", "年", 1.0),
            ("年", "day", 365.25),
        ],
    )
    def test_factors(self, source: str, target: str, factor: float) -> None:
        assert pt.conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)

    def test_per_ten_thousand_people_is_per_capita(self) -> None:
        assert _units.dimensionality("张/万人口") == "[count] / [population]"


class TestChineseNumerals:
    """Chinese numerals as plans write them, read by cn2an."""

    @pytest.mark.parametrize(
        ("text", "same_as"),
        [
            ("两轮", "2轮"),
            ("三个", "3个"),
            ("十五家", "15家"),
            ("百分之九十", "90%"),
            ("百分之九十六点八", "96.8%"),
            ("千分之三", "3‰"),
            ("两千零五个", "2005个"),
            ("一万二千元", "12000元"),
            ("一千瓦时", "1千瓦时"),
            ("十亩", "10亩"),
            ("三万吨", "30000吨"),
        ],
    )
    def test_reads_like_digits(self, text: str, same_as: str) -> None:
        q, expected = pt.parse_quantity(text), pt.parse_quantity(same_as)
        assert q.to(expected.units).magnitude == pytest.approx(expected.magnitude, rel=1e-12)

    @pytest.mark.parametrize("text", ["十四五", "百分之", "十五只猫", "万元"])
    def test_a_numeral_without_a_known_unit_is_refused(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError) as info:
            pt.parse_quantity(text)
        assert info.value.text == text

    def test_a_bare_multiplier_is_part_of_the_number(self) -> None:
        assert base("1.18万") == (pytest.approx(11800.0), "dimensionless")
        assert base("3亿") == (pytest.approx(3e8), "dimensionless")


class TestCommas:
    """A comma separates thousands in valid positions only; a decimal comma is refused."""

    @pytest.mark.parametrize(
        ("text", "magnitude"),
        [("5,873 batch", 5873.0), ("1,234,567元", 1234567.0), ("12,000.5 m", 12000.5)],
    )
    def test_thousands_separators(self, text: str, magnitude: float) -> None:
        assert pt.parse_quantity(text).magnitude == magnitude

    @pytest.mark.parametrize(
        "text", ["96,8", "96,8%", "1,00个", "12,34,567元", "1234,567元", "1,2345"]
    )
    def test_misplaced_commas_are_refused_never_stripped(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError, match="comma") as info:
            pt.parse_quantity(text)
        assert info.value.text == text


class TestPureNumbers:
    """Only % and ‰ are fractions: pint's other pure numbers never compare with a rate."""

    @pytest.mark.parametrize(
        "text", ["%%", "°", "rad", "radian", "dB", "byte", "bit", "pi", "dB%", "%‰", "%**2", "ppm"]
    )
    def test_refused_as_a_unit(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError) as info:
            pt.parse_unit(text)
        assert info.value.text == text

    @pytest.mark.parametrize("text", ["96.9 %%", "96.9°", "96.9 rad", "96.9 dB", "96.9 byte"])
    def test_never_meets_a_percentage_target(self, text: str) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(en="rate"), kind="rate", unit="%")
        target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=96.8), period="2022")
        with pytest.raises(pt.PolicyTargetsError):
            pt.assess(target, text)

    @pytest.mark.parametrize("text", ["%", "‰", "百分点", "", "个/个", "%/1", "rad/s"])
    def test_the_library_fractions_and_dimensioned_units_are_accepted(self, text: str) -> None:
        pt.parse_unit(text)


class TestOffsetUnits:
    """Temperatures on offset scales compare only with their own scale, never by a factor."""

    def test_fahrenheit_against_celsius_is_not_comparable(self) -> None:
        temp = pt.Indicator(
            id="t", name=pt.Label(en="room temperature"), kind="amount", unit="degC", basis="stock"
        )
        target = pt.Target(id="t1", indicator=temp, condition=pt.AtLeast(value=18), period="2022")
        result = pt.assess(target, pt.Observation(period="2022", value=64.4, unit="degF"))
        assert result.status is pt.Status.NOT_COMPARABLE
        assert "degree_Fahrenheit scale" in result.reason

    def test_a_temperature_difference_is_not_a_temperature(self) -> None:
        temp = pt.Indicator(
            id="t", name=pt.Label(en="room temperature"), kind="amount", unit="degC", basis="stock"
        )
        target = pt.Target(id="t1", indicator=temp, condition=pt.AtLeast(value=18), period="2022")
        result = pt.assess(target, "18 delta_degC")
        assert result.status is pt.Status.NOT_COMPARABLE

    def test_evaluate_agrees_fahrenheit_against_celsius_is_not_comparable(self) -> None:
        import pandas as pd

        temp = pt.Indicator(
            id="t", name=pt.Label(en="room temperature"), kind="amount", unit="degC", basis="stock"
        )
        target = pt.Target(id="t1", indicator=temp, condition=pt.AtLeast(value=18), period="2022")
        plan = pt.Plan(
            id="p",
            title=pt.Label(en="p"),
            period="2022",
            goals=(pt.Goal(id="g", title=pt.Label(en="g"), targets=(target,)),),
        )
        frame = pd.DataFrame(
            {
                "target_id": ["t1", "t1"],
                "period": ["2022", "2022"],
                "value": [64.4, 18.0],
                "unit": ["degF", "degC"],
                "region": ["a", "b"],
            }
        )
        result = pt.evaluate(plan, frame)
        assert list(result["status"]) == ["not_comparable", "met"]

    def test_the_same_scale_converts_by_one(self) -> None:
        assert pt.conversion_factor("degC", "°C") == 1.0
        assert pt.conversion_factor("delta_degC", "delta_degF") == pytest.approx(1.8)

    def test_different_scales_have_no_factor(self) -> None:
        with pytest.raises(pt.DimensionMismatchError, match=r"scale"):
            pt.conversion_factor("degF", "degC")
        with pytest.raises(pt.DimensionMismatchError):
            pt.conversion_factor("kelvin", "degC")

    def test_a_temperature_per_hour_is_a_difference_per_hour(self) -> None:
        assert _units.dimensionality("degC/hour") == "[temperature] / [time]"
        assert pt.conversion_factor("degC/hour", "delta_degF/hour") == pytest.approx(1.8)

    def test_a_difference_reads_back_as_pint_writes_it(self) -> None:
        assert pt.parse_unit("Δ°C") == pt.parse_unit("delta_degC")


class TestBoundedWork:
    """Every input is bounded in length and exponent, so no text makes pint work for long."""

    def test_a_power_with_an_expression_as_exponent_is_refused(self) -> None:
        with pytest.raises(pt.UnitParseError, match="exponent"):
            pt.parse_unit("99**(99*99*99*99)")

    @pytest.mark.parametrize("text", ["m**99", "m**-99", "m**(2)", "m ** 2 / s ** 2", "m^2"])
    def test_exponents_of_two_digits_are_accepted(self, text: str) -> None:
        pt.parse_unit(text)

    @pytest.mark.parametrize("text", ["m**100", "m**(2*3)", "m**2**2", "m**1e5", "m**(-100)"])
    def test_larger_or_computed_exponents_are_refused(self, text: str) -> None:
        with pytest.raises(pt.UnitParseError, match=r"exponent|power"):
            pt.parse_unit(text)

    def test_a_unit_at_the_length_limit_is_parsed_one_above_is_refused(self) -> None:
        at_limit = "m*" * 49 + "m"  # 99 characters
        assert len(at_limit + "m") == _units.MAX_UNIT_CHARS
        pt.parse_unit(at_limit + "m")
        with pytest.raises(pt.UnitParseError, match="at most 100 characters"):
            pt.parse_unit(at_limit + "*m")

    def test_a_long_unknown_name_is_refused_by_its_length(self) -> None:
        with pytest.raises(pt.UnitParseError, match="100000 characters") as info:
            pt.parse_unit("x" * 100_000)
        assert len(str(info.value)) < 200

    def test_a_quantity_at_the_length_limit(self) -> None:
        text = "1" + " " * (_units.MAX_QUANTITY_CHARS - 2) + "m"
        assert pt.parse_quantity(text).magnitude == 1.0
        with pytest.raises(pt.UnitParseError, match="at most 200 characters"):
            pt.parse_quantity(text + " ")


class TestPintErrorsNeverEscape:
    """Every unit pint cannot use is a UnitParseError naming the text, at every entry point."""

    BAD = "dB%"

    def test_parse_unit(self) -> None:
        with pytest.raises(pt.UnitParseError, match="dB%"):
            pt.parse_unit(self.BAD)

    def test_indicator_unit(self) -> None:
        with pytest.raises(pt.InvalidValueError, match="dB%"):
            pt.Indicator(id="r", name=pt.Label(en="r"), kind="rate", unit=self.BAD)

    def test_assess(self) -> None:
        rate = pt.Indicator(id="r", name=pt.Label(en="rate"), kind="rate", unit="%")
        target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=96.8), period="2022")
        with pytest.raises(pt.PolicyTargetsError, match="dB%"):
            pt.assess(target, f"96.9 {self.BAD}")

    def test_evaluate_and_validate_observations(self) -> None:
        import pandas as pd

        rate = pt.Indicator(id="r", name=pt.Label(en="rate"), kind="rate", unit="%")
        target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=96.8), period="2022")
        plan = pt.Plan(
            id="p",
            title=pt.Label(en="p"),
            period="2022",
            goals=(pt.Goal(id="g", title=pt.Label(en="g"), targets=(target,)),),
        )
        frame = pd.DataFrame(
            {"target_id": ["t"], "period": ["2022"], "value": [96.9], "unit": [self.BAD]}
        )
        for call in (pt.evaluate, pt.validate_observations):
            with pytest.raises(pt.ObservationError) as info:
                call(plan, frame)
            assert "dB%" in info.value.failures.to_string()


class TestParseQuantities:
    """parse_quantities reads each distinct text once, keeping errors for reporting."""

    def test_each_distinct_text_once(self) -> None:
        result = _units.parse_quantities(["99.5%", "1.18万", "99.5%", "7批次/千人", "96,8"])
        assert list(result) == ["99.5%", "1.18万", "7批次/千人", "96,8"]
        assert result["99.5%"] == pt.parse_quantity("99.5%")
        assert isinstance(result["96,8"], pt.UnitParseError)


class TestIntensityKind:
    """An intensity (单位GDP能耗) is a ratio of amounts: a level with a unit, never per person."""

    @staticmethod
    def energy_intensity(unit: str = "吨标准煤/万元", **fields: Any) -> pt.Indicator:
        return pt.Indicator(
            id="energy-intensity",
            name=pt.Label(zh="单位GDP能耗", en="energy use per unit of GDP"),
            kind="intensity",
            unit=unit,
            direction="lower",
            **fields,
        )

    @pytest.mark.parametrize(
        "unit", ["吨标准煤/万元", "千克标准煤/元", "吨二氧化碳/万元", "m**3/万元"]
    )
    def test_ratios_of_amounts_are_intensities(self, unit: str) -> None:
        assert self.energy_intensity(unit).kind is pt.IndicatorKind.INTENSITY

    @pytest.mark.parametrize(
        ("unit", "fields"),
        [
            ("吨标准煤", {}),
            ("%", {}),
            ("个/个", {}),
            ("吨标准煤/万人", {}),
            ("吨标准煤/万元", {"basis": "flow"}),
        ],
    )
    def test_what_is_no_ratio_of_amounts_is_refused(self, unit: str, fields: Any) -> None:
        with pytest.raises(pt.InvalidValueError):
            self.energy_intensity(unit, **fields)

    def test_judged_in_its_unit_at_the_conversion_factor(self) -> None:
        target = pt.Target(
            id="t",
            indicator=self.energy_intensity(),
            condition=pt.AtMost(value=0.45),
            period="2025",
        )
        assert pt.assess(target, "450千克标准煤/万元").status is pt.Status.MET
        assert pt.assess(target, "0.0451千克标准煤/元").status is pt.Status.NOT_MET
        assert pt.assess(target, "0.45吨标准煤/万人").status is pt.Status.NOT_COMPARABLE


class TestPlanScopedUnits:
    """A plan's own units exist for that plan only: no other plan or registry sees them."""

    DATA = Path(__file__).parent / "data" / "plan_with_units.yaml"

    def test_a_plan_file_with_units_loads_and_evaluates(self) -> None:
        import pandas as pd

        plan = pt.load_plan(self.DATA)
        assert plan.units == ("标准箱 = item = TEU",)
        target = plan.target("teu")
        with pt.unit_scope(plan.units):  # an Observation checks its unit when built
            observed = pt.Observation(period="2025", value=8.1e6, unit="TEU")
        assert pt.assess(target, observed).ok
        result = pt.assess(target, "7,990,000 TEU")
        assert result.status is pt.Status.NOT_MET
        frame = pd.DataFrame(
            {"target_id": ["teu"], "period": ["2025"], "value": [801.0], "unit": ["万标准箱"]}
        )
        assert list(pt.evaluate(plan, frame)["status"]) == ["met"]
        pt.validate_observations(plan, frame)

    def test_the_units_round_trip(self, tmp_path: Path) -> None:
        plan = pt.load_plan(self.DATA)
        for suffix in (".yaml", ".json"):
            pt.dump_plan(plan, tmp_path / f"p{suffix}")
            again = pt.load_plan(tmp_path / f"p{suffix}")
            assert again == plan
            assert again.units == plan.units

    def test_outside_the_plan_the_units_do_not_exist(self) -> None:
        pt.load_plan(self.DATA)
        with pytest.raises(pt.UnitParseError):
            pt.parse_unit("标准箱")
        with pytest.raises(pt.InvalidValueError, match="标准箱"):
            pt.Indicator(id="x", name=pt.Label(en="x"), kind="count", unit="标准箱", basis="flow")

    def test_a_second_plan_does_not_see_the_first_plans_units(self, tmp_path: Path) -> None:
        pt.load_plan(self.DATA)
        other = self.DATA.read_text(encoding="utf-8").replace("- 标准箱 = item = TEU", "[]")
        other = other.replace("units:\n[]", "units: []")
        (tmp_path / "other.yaml").write_text(other, encoding="utf-8")
        with pytest.raises(pt.PlanFileError, match="标准箱"):
            pt.load_plan(tmp_path / "other.yaml")

    def test_two_plans_may_define_one_name_differently(self, tmp_path: Path) -> None:
        text = self.DATA.read_text(encoding="utf-8")
        (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
        (tmp_path / "b.yaml").write_text(
            text.replace("标准箱 = item = TEU", "标准箱 = 2 * item = TEU"), encoding="utf-8"
        )
        a, b = pt.load_plan(tmp_path / "a.yaml"), pt.load_plan(tmp_path / "b.yaml")
        # In b, one 标准箱 is two items; in a, one: the same text means what each plan says.
        assert pt.assess(a.target("teu"), "1200万个").status is pt.Status.MET
        assert pt.assess(b.target("teu"), "1200万个").status is pt.Status.NOT_MET
        assert pt.assess(b.target("teu"), "1600万个").status is pt.Status.MET
        with pt.unit_scope(b.units):
            assert pt.conversion_factor("标准箱", "个") == 2.0
        with pt.unit_scope(a.units):
            assert pt.conversion_factor("标准箱", "个") == 1.0

    @pytest.mark.parametrize(
        ("units", "where"),
        [
            ('["this is = not valid = ="]', "units[0]"),
            ('["标准箱 = item", "亩 = 2 * meter ** 2"]', "units[1]"),
            ('"标准箱 = item"', "units"),
            ("[1]", "units"),
        ],
    )
    def test_bad_units_are_refused_with_their_path(
        self, tmp_path: Path, units: str, where: str
    ) -> None:
        text = self.DATA.read_text(encoding="utf-8").replace("- 标准箱 = item = TEU", "")
        text = text.replace("units:\n", f"units: {units}\n")
        (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(pt.PlanFileError) as info:
            pt.load_plan(tmp_path / "bad.yaml")
        assert any(path == where for path, _ in info.value.problems)

    def test_in_python_with_unit_scope(self) -> None:
        with pt.unit_scope("标准箱 = item = TEU") as lines:
            indicator = pt.Indicator(
                id="c", name=pt.Label(en="containers"), kind="count", unit="万标准箱", basis="flow"
            )
            target = pt.Target(
                id="t", indicator=indicator, condition=pt.AtLeast(value=800), period="2025"
            )
            goal = pt.Goal(id="g", title=pt.Label(en="g"), targets=(target,))
            plan = pt.Plan(
                id="p", title=pt.Label(en="p"), period="2025", goals=(goal,), units=lines
            )
        assert pt.assess(plan.target("t"), "801万 TEU").ok
        with pytest.raises(pt.UnitParseError):
            pt.parse_unit("TEU")

    def test_a_plan_without_the_units_its_indicators_need_is_refused(self) -> None:
        with pt.unit_scope("标准箱 = item = TEU"):
            indicator = pt.Indicator(
                id="c", name=pt.Label(en="containers"), kind="count", unit="标准箱", basis="flow"
            )
            target = pt.Target(
                id="t", indicator=indicator, condition=pt.AtLeast(value=800), period="2025"
            )
        goal = pt.Goal(id="g", title=pt.Label(en="g"), targets=(target,))
        with pytest.raises(pt.InvalidValueError, match="plan's own units"):
            pt.Plan(id="p", title=pt.Label(en="p"), period="2025", goals=(goal,))

    def test_a_scope_is_not_seen_by_another_thread(self) -> None:
        import threading

        seen: list[bool] = []

        def other() -> None:
            try:
                pt.parse_unit("TEU")
                seen.append(True)
            except pt.UnitParseError:
                seen.append(False)

        with pt.unit_scope("标准箱 = item = TEU"):
            pt.parse_unit("TEU")
            thread = threading.Thread(target=other)
            thread.start()
            thread.join()
        assert seen == [False]

    def test_a_bad_definition_in_unit_scope(self) -> None:
        with (
            pytest.raises(pt.UnitParseError, match="redefine"),
            pt.unit_scope("亩 = 2 * meter ** 2"),
        ):
            pass  # pragma: no cover
        assert pt.conversion_factor("亩", "平方米") == pytest.approx(10000 / 15)


class TestUnitReference:
    """The unit reference lists every plan unit, with its Chinese and English names."""

    def test_the_table_in_the_docs_is_the_one_the_definitions_give(self) -> None:
        page = Path(__file__).parents[1] / "docs" / "reference" / "units.md"
        text = page.read_text(encoding="utf-8")
        start = text.index("<!-- plan-units-table")
        start = text.index("\n", start) + 1
        end = text.index("<!-- end of plan-units-table -->")
        expected = _units._definition_table()
        assert text[start:end].strip() == expected, f"regenerate the table:\n{expected}"

    def test_every_unit_and_prefix_of_the_definitions_file_is_a_row(self) -> None:
        rows = _units._definition_rows()
        chinese = {name for row in rows for name in row[1].split()}
        for word in (
            "万",
            "亿",
            "万亿",
            "千",
            "个",
            "亩",
            "元",
            "吨标准煤",
            "千瓦时",
            "岁",
            "平米",
        ):
            assert word in chinese
        for _, zh, en, _, _ in rows:
            assert zh
            assert en

    @pytest.mark.parametrize(
        ("section", "zh", "en", "definition", "base"), _units._definition_rows()
    )
    def test_each_row_converts_at_its_stated_factor(
        self, section: str, zh: str, en: str, definition: str, base: str
    ) -> None:
        first = zh.split()[0]
        number = float(base.split()[0])
        if section.startswith("Chinese multipliers"):
            assert pt.conversion_factor(f"{first}个", "个") == pytest.approx(number, rel=1e-6)
            return
        quantity = pt.parse_quantity(f"1{first}").to_base_units()
        if quantity.dimensionality == pt.get_registry().joule.dimensionality:
            quantity = quantity.to("J")
        assert quantity.magnitude == pytest.approx(number, rel=1e-6)
        for name in (*zh.split(), *en.split()):
            assert pt.conversion_factor(name, first) == pytest.approx(1.0)


class TestParseQuantityProperties:
    """parse_quantity reads generated Chinese text (simplified, traditional) and its own output."""

    @given(quantity_texts())
    def test_generated_text_reads_as_its_value_and_unit(self, case: tuple[str, float, str]) -> None:
        text, value, unit = case
        q = pt.parse_quantity(text)
        assert q.to(pt.parse_unit(unit)).magnitude == pytest.approx(value, rel=1e-12, abs=1e-12)

    @given(quantity_texts())
    def test_round_trip_through_format(self, case: tuple[str, float, str]) -> None:
        q = pt.parse_quantity(case[0])
        for written in (f"{q}", f"{q:~}"):
            again = pt.parse_quantity(written)
            assert again.magnitude == q.magnitude
            assert pt.conversion_factor(f"{again.units}", f"{q.units}") == 1.0

    @given(period_texts())
    def test_period_text_reads_and_writes_back_canonically(self, case: tuple[str, Any]) -> None:
        text, period = case
        assert pt.Period.parse(text) == period
        assert pt.Period.parse(str(period)) == period


class TestTraditionalScriptPlanFile:
    """A plan file written in traditional script loads and is judged like its simplified twin."""

    DATA = Path(__file__).parent / "data" / "plan_traditional.yaml"

    def test_loads_with_its_units_and_periods(self) -> None:
        plan = pt.load_plan(self.DATA)
        assert plan.period == pt.Period.parse("2021-2025")
        assert plan.target("green").unit == "萬平方米"
        assert plan.target("invest").period == pt.Period.parse("2022-H1")
        assert plan.target("projects").period == pt.Period.parse("2022-Q3")

    @pytest.mark.parametrize(
        ("target_id", "observed", "status"),
        [
            ("green", "109,000平方米", "met"),
            ("green", "10.8萬平方米", "not_met"),
            ("invest", "1,200,000,000元", "met"),
            ("invest", "11.9亿元", "not_met"),
            ("projects", "十五項", "met"),
            ("projects", "十四项", "not_met"),
        ],
    )
    def test_judged_at_the_conversion_factor(
        self, target_id: str, observed: str, status: str
    ) -> None:
        plan = pt.load_plan(self.DATA)
        assert pt.assess(plan.target(target_id), observed).status == status


class TestDefinitionCache:
    """pint's parse of the definitions is kept on disk, and never changes what a unit means."""

    @staticmethod
    def _parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
        """The definition files parsed (not read from the cache) from now on."""
        import flexparser.flexparser as fp

        parsed: list[Path] = []
        parse_file = fp.Parser.parse_file

        def counting(self: Any, path: Path) -> Any:
            parsed.append(Path(path))
            return parse_file(self, path)

        monkeypatch.setattr(fp.Parser, "parse_file", counting)
        return parsed

    def test_the_second_registry_reads_the_parse_from_the_cache(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path))
        parsed = self._parses(monkeypatch)
        first = _units._build_registry()
        assert {p.name for p in parsed} >= {"default_en.txt", "plan_units.txt"}
        (folder,) = tmp_path.iterdir()
        assert folder.name.startswith("units-")
        assert any(folder.glob("*.pickle"))
        parsed.clear()
        second = _units._build_registry()
        assert parsed == []
        for text in ("万平方米", "批次/千人", "百分点", "亩", "吨标准煤/万元", "item"):
            one, other = first.parse_units(text), second.parse_units(text)
            assert str(one) == str(other)
            assert one.dimensionality == other.dimensionality
            assert first.Quantity(1, one).to_base_units().magnitude == pytest.approx(
                second.Quantity(1, other).to_base_units().magnitude, rel=1e-15
            )
        assert second._diskcache is None  # built: nothing more goes to disk

    def test_a_registry_from_the_cache_refuses_redefinitions_and_takes_plan_units(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path))
        _units._build_registry()
        registry = _units._build_registry(("test_crate = 12 * item = 箱测",))
        assert registry.Quantity(1, "箱测").to("item").magnitude == 12
        with pytest.raises(pt.UnitParseError, match="redefine"):
            _units._check_definitions(("item = [count]",), registry)

    def test_off_or_empty_turns_the_cache_off(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for setting in ("off", "OFF", ""):
            monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", setting)
            assert _units._cache_folder() is None
        folders: list[Path | None] = []
        new_registry = _units._new_registry
        monkeypatch.setattr(
            _units, "_new_registry", lambda d, c: folders.append(c) or new_registry(d, c)
        )
        assert _units._build_registry().parse_units("亩")
        assert folders == [None]

    def test_a_folder_that_cannot_be_made_builds_without_a_cache(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A parent that is a file (or read-only, or missing a home): the registry all the same."""
        (tmp_path / "file").write_text("not a folder")
        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path / "file" / "cache"))
        registry = _units._build_registry()
        assert registry.Quantity(1, "万平方米").to("meter ** 2").magnitude == 10000
        assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]

    def test_a_damaged_cache_is_removed_and_remade(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A file cut short (a process killed while writing it): built without it, then remade."""
        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path))
        _units._build_registry()
        (folder,) = tmp_path.iterdir()
        for pickle in folder.glob("*.pickle"):
            pickle.write_bytes(pickle.read_bytes()[:10])
        registry = _units._build_registry()
        assert registry.Quantity(1, "亩").to("meter ** 2").magnitude == pytest.approx(10000 / 15)
        assert not folder.exists()
        parsed = self._parses(monkeypatch)
        _units._build_registry()
        _units._build_registry()
        assert [p.name for p in parsed].count("default_en.txt") == 1
        assert [p.name for p in tmp_path.iterdir()] == [folder.name]

    def test_another_process_putting_its_folder_first_is_fine(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Two processes building at once: one folder wins the rename, the other's is removed."""
        import os

        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path))

        def taken(source: str, target: str) -> None:
            raise FileExistsError(target)

        monkeypatch.setattr(os, "rename", taken)
        registry = _units._build_registry()
        assert registry.Quantity(2, "万平方米").to("meter ** 2").magnitude == 20000
        assert list(tmp_path.iterdir()) == []  # the staging folder is gone

    def test_a_new_pint_or_changed_definitions_use_a_new_folder(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        import pint

        monkeypatch.setenv("POLICYTARGETS_UNIT_CACHE", str(tmp_path))
        ours = Path(str(_units.resources.files("policytargets").joinpath("plan_units.txt")))
        copy = tmp_path / "plan_units.txt"
        copy.write_bytes(ours.read_bytes())
        folder = _units._cache_folder(copy)
        assert folder == _units._cache_folder()
        copy.write_bytes(ours.read_bytes() + b"\ntest_new_unit = 3 * item\n")
        assert _units._cache_folder(copy) not in (folder, None)
        monkeypatch.setattr(pint, "__version__", "0.0.0-test")
        assert _units._cache_folder() not in (folder, None)

    def test_a_changed_definitions_file_is_parsed_again(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Even within one folder, pint's cache names each parse by the file's content."""
        cache = tmp_path / "cache"
        copy = tmp_path / "plan_units.txt"
        ours = Path(str(_units.resources.files("policytargets").joinpath("plan_units.txt")))
        copy.write_bytes(ours.read_bytes())
        _units._new_registry(copy, cache)
        copy.write_bytes(ours.read_bytes() + b"\ntest_new_unit = 3 * item\n")
        registry = _units._new_registry(copy, cache)
        assert registry.Quantity(1, "test_new_unit").to("item").magnitude == 3


class TestScriptConversionImport:
    """zhconv is imported without pkg_resources (70 ms of start-up), and converts as before."""

    @staticmethod
    def _run_fresh(code: str) -> None:
        """``code`` in a fresh interpreter, which must end without an error."""
        import os
        import subprocess
        import sys

        env = {**os.environ, "PYTHONPATH": str(Path(pt.__file__).parents[1])}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr

    def test_no_pkg_resources(self) -> None:
        code = (
            "import sys, warnings\n"
            "warnings.simplefilter('error')\n"
            "from policytargets._numerals import to_simplified\n"
            "assert to_simplified('萬件噸標準煤') == '万件吨标准煤'\n"
            "assert 'pkg_resources' not in sys.modules\n"
            "import zhconv\n"
            "assert zhconv.zhconv is sys.modules['zhconv.zhconv']\n"
            "assert zhconv.convert('計畫', 'zh-cn') == '计划'\n"
        )
        self._run_fresh(code)

    def test_a_second_thread_waits_for_the_first_import(self) -> None:
        """A thread never gets zhconv half-imported (CI: AttributeError 'zhcdicts').

        The command line reads the observations on one thread while the plan
        loads on another; both convert unit texts. Here the first thread's
        import of zhconv is held at its ``import json`` until the second
        thread has asked for a conversion; the second must wait, then both
        convert.
        """
        code = (
            "import builtins, threading\n"
            "from policytargets._numerals import to_simplified\n"
            "held, go = threading.Event(), threading.Event()\n"
            "plain = builtins.__import__\n"
            "def slow(name, *args, **kwargs):\n"
            "    if name == 'json' and threading.current_thread().name == 'first':\n"
            "        held.set()\n"
            "        go.wait()\n"
            "    return plain(name, *args, **kwargs)\n"
            "builtins.__import__ = slow\n"
            "results = {}\n"
            "def convert(text):\n"
            "    try:\n"
            "        results[text] = to_simplified(text)\n"
            "    except BaseException as error:\n"
            "        results[text] = repr(error)\n"
            "first = threading.Thread(target=convert, args=('萬件',), name='first')\n"
            "first.start()\n"
            "assert held.wait(10)\n"
            "second = threading.Thread(target=convert, args=('噸標準煤',))\n"
            "second.start()\n"
            "second.join(0.3)\n"
            "go.set()\n"
            "first.join(); second.join()\n"
            "assert results == {'萬件': '万件', '噸標準煤': '吨标准煤'}, results\n"
        )
        self._run_fresh(code)
