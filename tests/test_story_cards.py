"""story_cards: a story's card is rendered once a build for each form (a list's, a related
section's), and the pages are byte for byte those the macro gives each time (issue 14, point 3:
at 10,000 stories, 100,000 cards of which 20,000 differ)."""

from pathlib import Path
from unittest import mock

import jinja2.runtime
import pytest

import story_cards.story_cards as plugin
from conftest import SITE_CONTENT, build


class Forgetful(dict):
    """Remembers nothing: the macro is called for every card, as without the plugin."""

    def __setitem__(self, key, value) -> None:
        pass


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix in (".html", ".xml", ".json")}


def counting_cards(calls: list):
    real = jinja2.runtime.Macro.__call__

    def call(macro, *args, **kwargs):
        if macro.name == plugin.MACRO:
            calls.append((id(args[0]), kwargs.get("level"), kwargs.get("image")))
        return real(macro, *args, **kwargs)
    return mock.patch.object(jinja2.runtime.Macro, "__call__", call)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    """The test site built twice in one process: the cards remembered, and not."""
    root = tmp_path_factory.mktemp("story-cards")
    remembered, forgotten = [], []
    with counting_cards(remembered):
        build(SITE_CONTENT, root / "remembered", PROCESSES=1, CACHE_PATH=str(root / "cache-a"))
    with counting_cards(forgotten), mock.patch.object(plugin, "_CARDS", mock.MagicMock(
            get=lambda environment: Forgetful())):
        build(SITE_CONTENT, root / "forgotten", PROCESSES=1, CACHE_PATH=str(root / "cache-b"))
    return {"remembered": (root / "remembered", remembered), "forgotten": (root / "forgotten", forgotten)}


@pytest.mark.slow
def test_remembered_cards_give_the_very_pages_the_macro_gives_each_time(two_builds):
    remembered, forgotten = files_of(two_builds["remembered"][0]), files_of(two_builds["forgotten"][0])
    assert sorted(remembered) == sorted(forgotten)
    assert [name for name in remembered if remembered[name] != forgotten[name]] == []
    assert any('<section class="related"' in data.decode() for data in remembered.values())  # related cards shown


@pytest.mark.slow
def test_each_story_s_card_is_rendered_once_a_form(two_builds):
    calls, every = two_builds["remembered"][1], two_builds["forgotten"][1]
    assert calls and len(calls) == len(set(calls))  # never twice for one story and form
    assert {level for _story, level, _image in calls} == {2, 3}  # lists' cards and related sections'
    assert len(every) > len(calls)  # without it, the same cards again and again


def test_a_template_that_forgot_the_macro_is_told_so(tmp_path):
    from jinja2 import DictLoader, Environment

    environment = Environment(loader=DictLoader({"page.html": "{{ story|card }}"}))
    environment.filters["card"] = plugin.card
    with pytest.raises(RuntimeError, match=r"story_cards: the template 'page.html' uses the filter `card` without"):
        environment.get_template("page.html").render(story=object())
