import policytargets as pt


def test_a_rate_target_is_met_at_its_inclusive_bound() -> None:
    """达到57%以上 is met by exactly 57 %, even given as the fraction 0.57."""
    rate = pt.Indicator(id="r", name=pt.Label(zh="合格率"), kind="rate", unit="%")
    target = pt.Target(id="t", indicator=rate, condition=pt.AtLeast(value=57), period="2022")
    assert pt.assess(target, "0.57").status is pt.Status.MET
