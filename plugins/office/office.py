"""office: the details of the office that runs the site (`OFFICE` in pelicanconf.py), checked at
start-up and given to the templates whole: the footer of every page, the contact page
(`Template: contact`) and the English page (`Template: english`) show them.

One place for the address, the map link and the phone number, so that the footer and the two
pages cannot disagree. The map is a plain link (nothing is loaded from the map's site until the
reader follows it), so it must be a full web address (`thainews.urls.url_problem`).
"""

from pelican import signals

from thainews.plugin_settings import check_known_keys, plugin_options
from thainews.urls import url_problem

SETTINGS_KEY = "OFFICE"
DEFAULTS = {
    "NAME": "",  # the office's name in Thai
    "NAME_EN": "",  # its name in English (the English page)
    "ADDRESS": "",  # its postal address in Thai, one line
    "ADDRESS_EN": "",  # the same in English
    "PHONE": "",  # a public phone number, as it is written ("0 5315 0195"); "" = not shown
    "EMAIL": "",  # a public e-mail address; "" = not shown
    "MAP_URL": "",  # a link to the office on a map site (https://…); "" = no map link
}


def check_settings(pelican) -> None:
    """Every key known and text; the map link a full web address. Then the templates get every
    key, the defaults filled in."""
    check_known_keys("office", pelican.settings, SETTINGS_KEY, DEFAULTS)
    options = plugin_options(pelican.settings, SETTINGS_KEY, DEFAULTS)
    for key, value in options.items():
        if not isinstance(value, str):
            raise ValueError(f"office: {SETTINGS_KEY}['{key}'] ต้องเป็นข้อความในเครื่องหมายคำพูด / must be text "
                             f"in quotes, got {value!r}")
    options = {key: value.strip() for key, value in options.items()}
    if not options["NAME"]:
        raise ValueError(f"office: {SETTINGS_KEY}['NAME'] ต้องมีชื่อหน่วยงาน / must give the office's name")
    if options["MAP_URL"]:
        wrong = url_problem(options["MAP_URL"])
        if wrong:
            raise ValueError(f"office: {SETTINGS_KEY}['MAP_URL']: {wrong[0]} / {wrong[1]}")
    if options["EMAIL"] and ("@" not in options["EMAIL"] or any(c in options["EMAIL"] for c in " \"'<>`:/")):
        raise ValueError(f"office: {SETTINGS_KEY}['EMAIL'] '{options['EMAIL']}' ไม่ใช่ที่อยู่อีเมล / is not an "
                         f"e-mail address (name@example.go.th)")
    pelican.settings[SETTINGS_KEY] = options


def register() -> None:
    signals.initialized.connect(check_settings)
