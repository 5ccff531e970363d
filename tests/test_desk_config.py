"""The desk's configuration is the project's data (issue 17, point 3): newsroom/desk_config.py
generates it from the content model, the networks, the districts and the settings, so these tests
compare it with them (a field added to the model, a network renamed, a folder moved: the config
follows, or `config` raises). The editor's page (desk/admin/index.html) carries the editor's own
policy and no inline script. The served config is compared with `config` in tests/test_desk_e2e.py.
"""

import json
import re
from pathlib import Path

import pytest

from newsroom import desk_config
from newsroom.article_file import FIELD_ORDER
from newsroom.desk import ADMIN, ADMIN_POLICY
from newsroom.desk_config import DESK_WIDGETS, MODEL, UnknownField, config, desk_data
from thainews.dates import parse_news_date
from thainews.districts import DISTRICTS, find_district
from thainews.events import EVENT_FIELDS, EVENT_STATUSES, REQUIRED_EVENT_FIELDS
from thainews.metadata import ARTICLE_FIELDS, PAGE_FIELDS, REQUIRED, STATUSES
from thainews.networks import NETWORKS, find_network

SETTINGS = {"ARTICLE_PATHS": ["news"], "EVENT_PATHS": ["events"], "PAGE_PATHS": ["pages"]}
KINDS = {"news": ("article", ARTICLE_FIELDS, REQUIRED["article"], STATUSES["article"]),
         "events": ("event", EVENT_FIELDS, REQUIRED_EVENT_FIELDS, EVENT_STATUSES),
         "pages": ("page", PAGE_FIELDS, REQUIRED["page"], STATUSES["page"])}


def collections(settings=SETTINGS, content_name="content") -> dict[str, dict]:
    return {item["name"]: item for item in config(settings, content_name)["collections"]}


def fields_of(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_field_of_the_model_is_in_its_collection_with_its_required(name):
    kind, fields, required, statuses = KINDS[name]
    found = fields_of(collections()[name])
    extra = {"body", "_year"} if kind == "article" else {"body"}
    assert set(found) == set(fields) | extra
    for field in fields:
        assert found[field]["required"] is (field in required), field
    assert found["body"]["required"] is False and found["body"]["widget"] == "richtext"
    assert found["body"]["modes"] == ["raw", "rich_text"]  # Markdown first: the text as written (desk-pre.js)
    assert [option["value"] for option in found["Status"]["options"]] == list(statuses)
    # make new's order first
    order = [field for field in found if field in FIELD_ORDER]
    assert order == [field for field in FIELD_ORDER if field in fields]


def test_networks_and_districts_are_the_projects_own():
    news, events = collections()["news"], collections()["events"]
    for collection in (news, events):
        networks = fields_of(collection)["Networks"]
        assert networks["widget"] == "select" and networks["multiple"] is True
        assert networks["options"] == [network.name for network in NETWORKS]
        assert all(find_network(option) is not None for option in networks["options"])
    district = fields_of(events)["District"]
    assert district["widget"] == "select" and "multiple" not in district
    assert district["options"] == [district.name for district in DISTRICTS] and len(district["options"]) == 18
    assert all(find_district(option) is not None for option in district["options"])
    assert len(NETWORKS) == 13


def test_the_folders_are_the_settings_and_the_backend_is_this_machines():
    moved = {"ARTICLE_PATHS": ["khao"], "EVENT_PATHS": ["ngan/"], "PAGE_PATHS": ["na"]}
    found = collections(moved, "site-content")
    assert [(item["name"], item["folder"]) for item in found.values()] == [
        ("news", "site-content/khao"), ("events", "site-content/ngan"), ("pages", "site-content/na")]
    assert found["news"]["path"] == "{{_year}}/{{slug}}"  # year folders, the year set before a save (desk.js)
    whole = config(SETTINGS)
    assert whole["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    assert whole["locale"] == "th" and whole["publish_mode"] == "simple"
    assert whole["media_folder"] == "content/images"
    assert all(item["format"] == desk_config.FORMAT and item["extension"] == "md" for item in found.values())


def test_pictures_go_into_the_storys_folder_and_never_come_from_another_host():
    image = fields_of(collections()["news"])["Image"]
    assert image["media_folder"] == "/content/images/{{fields.Date | date('YYYY-MM-DD')}}-{{fields.Slug}}"
    assert image["public_folder"] == "images/{{fields.Date | date('YYYY-MM-DD')}}-{{fields.Slug}}"
    text = json.dumps(config(SETTINGS))
    assert "http" not in text.replace("https://", "")  # hints say "https://…"; no address to load
    for collection in collections().values():
        for field in collection["fields"]:
            if field["widget"] in ("image", "file"):
                assert field["choose_url"] is False, field["name"]


def test_a_field_the_desk_does_not_know_stops_the_config(monkeypatch):
    monkeypatch.setitem(MODEL, "article", ((*ARTICLE_FIELDS, "Mood"), REQUIRED["article"], STATUSES["article"]))
    with pytest.raises(UnknownField) as error:
        config(SETTINGS)
    assert "Mood" in str(error.value) and "DESK_WIDGETS" in str(error.value)
    assert set(DESK_WIDGETS) == set(ARTICLE_FIELDS) | set(PAGE_FIELDS) | set(EVENT_FIELDS)  # no stale rows either


def test_the_date_pattern_is_the_builds():
    pattern = fields_of(collections()["news"])["Date"]["pattern"][0]
    python = re.compile(pattern.replace("(?<", "(?P<"))
    for good in ("2567-06-05", "2024-06-05", "2567-6-5", "2567-06-05 09:30", "2567-06-05T09:30:15"):
        assert python.match(good) and parse_news_date(good)
    for bad in ("5 มิถุนายน 2567", "05/06/2567", "2567-06-05 9", "67-06-05"):
        assert not python.match(bad), bad


DECAP_WIDGETS = {"string", "text", "select", "image", "richtext", "hidden"}  # Decap's own, used here


def test_every_date_of_the_model_has_the_date_picker_and_every_own_widget_is_registered():
    dates = {name: field["widget"] for collection in collections().values() for name, field in fields_of(collection).items()
             if name in ("Date", "Modified", "Start", "End")}
    assert dates == dict.fromkeys(("Date", "Modified", "Start", "End"), "thaidate")
    used = {field["widget"] for collection in collections().values() for field in collection["fields"]}
    source = (ADMIN / "desk.js").read_text(encoding="utf-8")
    registered = set(re.findall(r"CMS\.registerWidget\('([^']+)'", source))
    assert used - DECAP_WIDGETS == registered  # no widget named in the config that desk.js does not define
    from thainews.dates import THAI_MONTHS

    assert desk_data()["thaiMonths"] == list(THAI_MONTHS)  # the site's month names, for the Thai reading


def test_the_formats_tables_are_the_models():
    data = desk_data()
    assert data["fieldOrder"] == list(FIELD_ORDER)
    assert {kind: set(fields) for kind, fields in data["fields"].items()} == {
        "article": set(ARTICLE_FIELDS), "page": set(PAGE_FIELDS), "event": set(EVENT_FIELDS)}
    for alias, name in data["networks"].items():
        assert find_network(alias).name == name
    assert {network.name for network in NETWORKS} <= set(data["networks"].values())
    assert {"religion", "ศาสนา", "เครือข่ายศาสนา", "religion network"} <= set(data["networks"])
    for alias, name in data["districts"].items():
        assert find_district(alias).name == name
    assert set(data["districts"].values()) == {district.name for district in DISTRICTS}
    assert "folders" not in data  # without the settings: the format's tables only


def test_the_folders_for_the_checks_are_the_configs():
    folders = desk_data(SETTINGS, "content")["folders"]
    assert folders == {collection["name"]: collection["folder"] for collection in collections().values()}
    assert folders == {"news": "content/news", "events": "content/events", "pages": "content/pages"}


def test_the_editors_page_has_its_own_policy_and_no_inline_script():
    html = (ADMIN / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert meta == "; ".join(part for part in ADMIN_POLICY.split("; ") if not part.startswith("frame-ancestors"))
    assert "connect-src 'self' blob: data:" in meta and "http" not in ADMIN_POLICY
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert [attributes for attributes, _ in scripts] == [
        ' defer src="desk-pre.js"', ' defer src="decap-cms.js"', ' defer src="desk-data.js"', ' defer src="desk.js"']
    assert all(body == "" for _, body in scripts)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handler
    for name in ("desk-pre.js", "desk.js"):
        assert (Path(ADMIN) / name).is_file()


def test_the_paste_page_has_the_editors_policy_and_no_inline_script():
    index = (ADMIN / "index.html").read_text(encoding="utf-8")
    html = (ADMIN / "paste.html").read_text(encoding="utf-8")
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    assert policy.search(html).group(1) == policy.search(index).group(1)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts == [(' defer src="paste.js"', "")]
    assert not re.search(r"\son[a-z]+=|\sstyle=", html)  # no inline handler, no inline style
    assert "innerHTML" not in (ADMIN / "paste.js").read_text(encoding="utf-8")  # the paste is text, never HTML


def test_the_editors_preview_cleans_html_in_a_body():
    from newsroom.desk_config import config

    assert config(SETTINGS)["sanitize_preview"] is True
