"""The calendar's pure parts: districts, the event validator, event times, iCalendar files."""

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from thainews.dates import BANGKOK, parse_news_date
from thainews.districts import DISTRICTS, find_district, suggest_district
from thainews.events import EVENT_FIELDS, check_event, ical_end, last_day, months_of, thai_when, thai_when_short
from thainews.ical import CalendarEntry, calendar_bytes, describe, event_uid, uid_domain
from thainews.metadata import check_metadata

PATH = "content/events/x.md"
GOOD = {"title": "สวดมนต์ข้ามปี", "start": "2569-12-31 19:00", "end": "2570-01-01 00:30",
        "location": "วัดพระสิงห์", "district": "เมืองเชียงราย", "networks": "เครือข่ายศาสนา, youth"}


def check(meta, body="รายละเอียด"):
    source = "\n".join(f"{key.capitalize()}: {value}" for key, value in meta.items()) + "\n\n" + body
    return check_event(PATH, source, meta, body)


# -- districts ----------------------------------------------------------------------------

def test_eighteen_districts_with_unique_names_and_slugs():
    assert len(DISTRICTS) == 18
    assert len({d.slug for d in DISTRICTS}) == len({d.name for d in DISTRICTS}) == len({d.name_en for d in DISTRICTS}) == 18
    assert [d.name for d in DISTRICTS][:3] == ["เมืองเชียงราย", "เวียงชัย", "เชียงของ"]
    assert DISTRICTS[-1].name == "ดอยหลวง"
    for district in DISTRICTS:
        for written in (district.name, district.slug, district.name_en, district.name_en.upper(),
                        f"อำเภอ{district.name}", f"อ.{district.name}", f"อ. {district.name}",
                        f"{district.name_en} District", f"Amphoe {district.name_en}"):
            assert find_district(written) is district, written


def test_district_lookups_that_must_fail_or_suggest():
    assert find_district("เชียงใหม่") is None
    assert find_district("") is None
    assert find_district("อำเภอเมือง") is DISTRICTS[0]
    assert suggest_district("แม่สายย") == "แม่สาย"
    assert suggest_district("อำเภอเวียงป่าเปา") == "เวียงป่าเป้า"


# -- the validator ------------------------------------------------------------------------

def test_a_good_event_has_no_problems_and_its_times():
    result = check(GOOD)
    assert result.problems == []
    assert result.start == datetime(2026, 12, 31, 19, 0, tzinfo=BANGKOK)
    assert result.end == datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)
    assert not result.all_day
    assert result.district.slug == "mueang-chiang-rai"
    assert [n.slug for n in result.networks] == ["religion", "youth"]


def test_check_metadata_dispatches_events_to_their_own_rules():
    source = "Title: x\nStart: 2569-12-05\nLocation: วัด\n\n"
    result = check_metadata(PATH, source, {"title": "x", "start": "2569-12-05", "location": "วัด"}, "", "event")
    assert result.problems == [] and result.all_day and result.start.date() == date(2026, 12, 5)
    # the article rules would have wanted a Date and a body
    assert {p.field for p in check_metadata(PATH, source, {"title": "x", "start": "2569-12-05", "location": "วัด"}, "", "article").problems} >= {"Date", "start"}


def test_a_date_without_a_time_is_an_all_day_event_in_ce_or_be():
    for start, end in (("2570-02-12", "2570-02-14"), ("2027-02-12", "2027-02-14"), ("๒๕๗๐-๐๒-๑๒", "2570-2-14")):
        result = check({**GOOD, "start": start, "end": end})
        assert result.problems == [], start
        assert result.all_day and result.start.date() == date(2027, 2, 12) and result.end.date() == date(2027, 2, 14)


@pytest.mark.parametrize(("change", "field", "thai", "english"), [
    ({"end": "2569-12-31 18:00"}, "End", "อยู่ก่อนวันเริ่ม", "is before Start"),
    ({"start": "2570-02-14", "end": "2570-02-12"}, "End", "อยู่ก่อนวันเริ่ม", "is before Start"),
    ({"start": "31 ธ.ค. 69"}, "Start", "อ่านวันที่", "cannot read the date"),
    ({"end": "2569-13-01 10:00"}, "End", "ไม่มีวันที่", "not a calendar date"),
    ({"end": "2570-01-01"}, "End", "ไม่มีเวลา", "has none"),
    ({"start": "2569-12-31", "end": "2570-01-01 10:00"}, "End", "มีเวลา", "is a whole day"),
    ({"district": "เชียงใหม่"}, "District", "ไม่รู้จักอำเภอ", "unknown district"),
    ({"district": "แม่สายย"}, "District", "หมายถึง 'แม่สาย'", "Did you mean 'แม่สาย'"),
    ({"networks": "เครือข่ายกีฬา"}, "Networks", "ไม่รู้จักเครือข่าย", "unknown network"),
    ({"title": ""}, "Title", "ไม่มี Title", "missing Title"),
    ({"start": ""}, "Start", "ไม่มี Start", "missing Start"),
    ({"location": " "}, "Location", "ไม่มี Location", "missing Location"),
    ({"link": "http://forms.example.org/x"}, "Link", "https://", "must be a full web address"),
    ({"link": "ลงทะเบียนที่สำนักงาน"}, "Link", "https://", "must be a full web address"),
    ({"article": "ข่าวประชุม"}, "Article", "Slug ของข่าว", "must be the Slug"),
    ({"slug": "New Year"}, "Slug", "อักษรอังกฤษตัวเล็ก", "lowercase ASCII"),
    ({"status": "cancelled"}, "Status", "ใช้ไม่ได้", "not allowed"),
    ({"date": "2569-12-31"}, "date", "ไม่รู้จักหัวข้อ", "unknown event key"),
    ({"organiser": "x"}, "organiser", "หมายถึง 'Organizer'", "Did you mean 'Organizer'"),
])
def test_each_mistake_gives_its_own_message(change, field, thai, english):
    meta = {**GOOD, **change}
    problems = check(meta).problems
    assert [p.field for p in problems] == [field], problems
    problem = problems[0]
    assert thai in problem.thai and english in problem.english
    assert problem.path == PATH and problem.severity == "error"
    if field[0].isupper() and meta.get(field.lower()):
        assert problem.line == list(meta).index(field.lower()) + 1  # points at the field's line


def test_every_problem_at_once_and_an_empty_body_is_fine():
    problems = check({"title": "x", "start": "พรุ่งนี้", "district": "x", "networks": "y"}, body="").problems
    assert sorted(p.field for p in problems) == ["District", "Location", "Networks", "Start"]
    assert check(GOOD, body="").problems == []


def test_optional_fields_are_read():
    result = check({**GOOD, "link": "https://forms.gle/abc", "article": "moralcenter-coordination-centre",
                    "modified": "2569-11-01", "organizer": "x", "contact": "y", "summary": "z", "status": "draft"})
    assert result.problems == []
    assert result.link == "https://forms.gle/abc" and result.article == "moralcenter-coordination-centre"
    assert result.modified.date() == date(2026, 11, 1)
    assert set(EVENT_FIELDS) >= {"Title", "Start", "End", "Location", "District", "Networks", "Organizer",
                                 "Contact", "Summary", "Link", "Article"}


# -- times ----------------------------------------------------------------------------------

def d(text):
    return parse_news_date(text)


def test_last_day_and_ical_end():
    # all day: DTEND is the day after the last day
    assert last_day(d("2570-02-12"), d("2570-02-14"), True) == date(2027, 2, 14)
    assert ical_end(d("2570-02-12"), d("2570-02-14"), True) == date(2027, 2, 15)
    assert ical_end(d("2569-12-05"), None, True) == date(2026, 12, 6)
    # timed: the end as it is; over midnight the last day is the next day
    assert last_day(d("2569-12-31 19:00"), d("2570-01-01 00:30"), False) == date(2027, 1, 1)
    assert ical_end(d("2569-12-31 19:00"), d("2570-01-01 00:30"), False) == d("2570-01-01 00:30")
    assert ical_end(d("2569-12-31 19:00"), None, False) is None
    # ending exactly at midnight does not make the next day part of the event
    assert last_day(d("2569-12-31 20:00"), d("2570-01-01 00:00"), False) == date(2026, 12, 31)


def test_months_an_event_touches():
    assert months_of(d("2569-12-31 19:00"), d("2570-01-01 00:30"), False) == [(2026, 12), (2027, 1)]
    assert months_of(d("2570-02-12"), d("2570-02-14"), True) == [(2027, 2)]
    assert months_of(d("2569-11-30"), d("2570-02-01"), True) == [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]


def test_thai_when():
    assert thai_when(d("2569-12-05"), None, True) == "วันเสาร์ที่ 5 ธันวาคม 2569"
    assert thai_when(d("2570-02-12"), d("2570-02-14"), True) == "12–14 กุมภาพันธ์ 2570"
    assert thai_when(d("2570-01-30"), d("2570-02-01"), True) == "30 มกราคม – 1 กุมภาพันธ์ 2570"
    assert thai_when(d("2569-12-30"), d("2570-01-02"), True) == "30 ธันวาคม 2569 – 2 มกราคม 2570"
    assert thai_when(d("2570-01-20 08:30"), d("2570-01-20 16:30"), False) == "วันพุธที่ 20 มกราคม 2570 เวลา 08:30–16:30 น."
    assert thai_when(d("2570-01-20 08:30"), None, False) == "วันพุธที่ 20 มกราคม 2570 เวลา 08:30 น."
    assert (thai_when(d("2569-12-31 19:00"), d("2570-01-01 00:30"), False)
            == "31 ธันวาคม 2569 เวลา 19:00 น. ถึง 1 มกราคม 2570 เวลา 00:30 น.")
    assert thai_when_short(d("2569-12-31 19:00"), d("2570-01-01 00:30"), False) == "31 ธ.ค. 2569 · 19:00 น."
    assert thai_when_short(d("2570-02-12"), d("2570-02-14"), True) == "12–14 ก.พ. 2570"
    assert thai_when_short(d("2570-01-30"), d("2570-02-01"), True) == "30 ม.ค. 2570 – 1 ก.พ. 2570"


# -- iCalendar --------------------------------------------------------------------------------

def entry(slug, start, end, all_day, **extra):
    extra.setdefault("stamp", extra.get("modified") or d(start))  # as plugins/events does
    return CalendarEntry(uid=event_uid(slug, "news.example.org"), title=f"กิจกรรม {slug}", start=d(start),
                         end=d(end) if end else None, all_day=all_day, **extra)


def test_calendar_file_parses_with_icalendar_and_keeps_times():
    entries = [
        entry("prayer", "2569-12-31 19:00", "2570-01-01 00:30", False, location="วัดพระสิงห์",
              categories=("เครือข่ายศาสนา",), contact="สำนักงานวัฒนธรรมจังหวัดเชียงราย",
              description=describe("สรุป", "ผู้จัด", "ที่ติดต่อ", "https://forms.gle/x", "https://news.example.org/events/prayer/")),
        entry("fair", "2570-02-12", "2570-02-14", True, modified=d("2569-11-01 10:00")),
        entry("no-end", "2570-03-06 16:00", None, False),
    ]
    data = calendar_bytes(entries, name="ปฏิทินความดี", uid="calendar@news.example.org")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar and str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert list(events) == ["prayer@news.example.org", "fair@news.example.org", "no-end@news.example.org"]

    prayer = events["prayer@news.example.org"]
    start, end = prayer.decoded("DTSTART"), prayer.decoded("DTEND")
    assert start == datetime(2026, 12, 31, 19, 0, tzinfo=BANGKOK) and start.utcoffset() == timedelta(hours=7)
    assert end == datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)
    assert prayer["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert prayer.decoded("DTSTAMP") == datetime(2026, 12, 31, 12, 0, tzinfo=prayer.decoded("DTSTAMP").tzinfo)
    assert str(prayer["LOCATION"]) == "วัดพระสิงห์" and str(prayer["CONTACT"]) == "สำนักงานวัฒนธรรมจังหวัดเชียงราย"
    assert "ลงทะเบียน: https://forms.gle/x" in str(prayer["DESCRIPTION"])

    fair = events["fair@news.example.org"]
    assert fair.decoded("DTSTART") == date(2027, 2, 12) and not isinstance(fair.decoded("DTSTART"), datetime)
    assert fair.decoded("DTEND") == date(2027, 2, 15)  # the day after the last day
    assert fair["DTSTART"].params.get("VALUE") == "DATE"
    assert fair.decoded("DTSTAMP").astimezone(BANGKOK) == d("2569-11-01 10:00")  # Modified, not now()
    assert fair.decoded("LAST-MODIFIED").astimezone(BANGKOK) == d("2569-11-01 10:00")
    assert "DTEND" not in events["no-end@news.example.org"]
    assert b"DTSTAMP:2026" in data and datetime.now().strftime("%Y%m%dT%H%M") not in data.decode()


def test_calendar_files_are_deterministic_and_an_empty_one_is_valid():
    entries = [entry("a", "2569-12-05 08:00", "2569-12-05 12:00", False)]
    assert calendar_bytes(entries, name="x", uid="u@x") == calendar_bytes(entries, name="x", uid="u@x")
    empty = Calendar.from_ical(calendar_bytes([], name="x", uid="u@x"))
    assert not empty.walk("VEVENT") and empty.walk("VTIMEZONE")  # a VCALENDAR needs one component


def test_uid_domain():
    assert uid_domain("", "https://news.example.org/sub") == "news.example.org"
    assert uid_domain("moral.example", "https://news.example.org") == "moral.example"
    assert uid_domain("", "") == "localhost"
    assert event_uid("merit-market-2570", "news.example.org") == "merit-market-2570@news.example.org"
