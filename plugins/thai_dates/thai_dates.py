"""thai_dates: Jinja filters for Thai dates with Buddhist-era years, without any locale.

    {{ article.date | thai_date }}        1 มีนาคม 2566
    {{ article.date | thai_date_short }}  1 มี.ค. 2566
    {{ article.date | isodate }}          2023-03-01T00:00:00+07:00  (for <time datetime>)
    {{ 2023 | be_year }}                  2566
    {{ (2023, 3) | thai_month_year }}     มีนาคม 2566
"""

from pelican import signals

from thainews.dates import be_year, iso_datetime, thai_date, thai_month_year

FILTERS = {
    "thai_date": thai_date,
    "thai_date_short": lambda moment: thai_date(moment, short=True),
    "isodate": iso_datetime,
    "be_year": lambda year: be_year(int(year)),
    "thai_month_year": lambda year_month: thai_month_year(int(year_month[0]), int(year_month[1])),
}


def add_filters(pelican) -> None:
    pelican.settings.setdefault("JINJA_FILTERS", {})
    for name, function in FILTERS.items():
        pelican.settings["JINJA_FILTERS"].setdefault(name, function)


def register() -> None:
    signals.initialized.connect(add_filters)
