from datetime import UTC, datetime

import pytest

from thainews.dates import BANGKOK, DateError, iso_datetime, parse_news_date, thai_date, thai_month_year


@pytest.mark.parametrize("text", ["2023-03-01", "2566-03-01", "๒๕๖๖-๐๓-๐๑", " 2566-3-1 "])
def test_ce_and_be_dates_mean_the_same_day(text):
    assert parse_news_date(text) == datetime(2023, 3, 1, tzinfo=BANGKOK)


def test_time_of_day_is_kept_in_bangkok():
    moment = parse_news_date("2563-03-11 09:30")
    assert (moment.year, moment.hour, moment.minute) == (2020, 9, 30)
    assert iso_datetime(moment) == "2020-03-11T09:30:00+07:00"


@pytest.mark.parametrize("text", ["1 มีนาคม 2566", "01/03/2023", "2566-13-01", "2023-02-30", "2300-01-01", "1066-01-01", ""])
def test_anything_else_is_an_error_in_thai_and_english(text):
    with pytest.raises(DateError) as caught:
        parse_news_date(text)
    assert caught.value.thai and caught.value.english
    assert "2566-03-01" in caught.value.thai or "ปี" in caught.value.thai


def test_thai_dates_use_buddhist_era_without_a_locale():
    moment = datetime(2023, 3, 1, tzinfo=BANGKOK)
    assert thai_date(moment) == "1 มีนาคม 2566"
    assert thai_date(moment, short=True) == "1 มี.ค. 2566"
    assert thai_month_year(2020, 12) == "ธันวาคม 2563"


def test_thai_date_converts_other_time_zones_to_bangkok():

    late_utc = datetime(2023, 2, 28, 20, 0, tzinfo=UTC)  # 1 March 03:00 in Bangkok
    assert thai_date(late_utc) == "1 มีนาคม 2566"
