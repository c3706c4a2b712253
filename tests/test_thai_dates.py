import numpy as np
import pandas as pd
import pytest

from simulator.thai.dates import age_label_th


@pytest.mark.parametrize("days, label", [
    (0, "แรกเกิด"), (6, "แรกเกิด"), (7, "1 สัปดาห์"), (16, "2 สัปดาห์"), (30, "4 สัปดาห์"),
    (31, "1 เดือน"), (214, "7 เดือน"), (213, "6 เดือน"), (364, "11 เดือน"), (365, "11 เดือน"),
    (366, "1 ปี"), (730, "1 ปี"), (731, "2 ปี"), (8 * 365.25 + 3, "8 ปี"), (32 * 365.25 - 1, "31 ปี"),
])
def test_age_label_uses_weeks_months_then_years(days, label):
    assert age_label_th(days) == label


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, -40])
def test_age_label_is_empty_without_a_born_age(missing):
    assert age_label_th(missing) == ""


def test_thai_month_uses_the_buddhist_era_year():
    from simulator.thai.dates import thai_month

    assert thai_month("2025-12") == "ธ.ค. 2568"
    assert thai_month(pd.Period("2021-01", "M"), long=True) == "มกราคม 2564"
