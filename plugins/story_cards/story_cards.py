"""story_cards: a story's card, in lists and under "ข่าวที่เกี่ยวข้อง", rendered once a build.

theme/templates/partials/article_card.html's macro `article_card(article, level, image)` shows
a story on every list it is on (the home page, its category, tags and networks) and in the
related section of other stories' pages: a story's card is on ten pages or so, and it
has two forms (a list's and a related section's). The Jinja filter

    {{ other|card(level=3, image=False) }}

calls the macro the template imported (`{% from "partials/article_card.html" import
article_card with context %}`) once for each story, form and SITEURL, and gives that markup
every other time. The macro reads nothing of the page but its arguments and SITEURL, so the
pages are byte for byte those the macro gives each time (tests/test_story_cards.py). The cards
are kept by the build's Jinja environment (Pelican makes new ones for each build; a forked
worker has its own copy): nothing is carried from one `pelican -r` rebuild to the next.
"""

import weakref

from jinja2 import Undefined, pass_context
from pelican import signals

MACRO = "article_card"  # the macro a template that uses the filter imports
_CARDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # Jinja environment -> {key: (story, markup)}


@pass_context
def card(context, article, level: int = 2, image: bool = True):
    cards = _CARDS.get(context.environment)
    if cards is None:
        cards = _CARDS[context.environment] = {}
    key = (id(article), level, image, context.get("SITEURL"))
    known = cards.get(key)
    if known is not None and known[0] is article:
        return known[1]
    macro = context.resolve(MACRO)
    if isinstance(macro, Undefined) or not callable(macro):
        raise RuntimeError(f"story_cards: the template {context.name!r} uses the filter `card` without importing "
                           f"the macro {MACRO!r} (from \"partials/article_card.html\" import {MACRO} with context)")
    markup = macro(article, level=level, image=image)
    cards[key] = (article, markup)
    return markup


def add_filter(pelican) -> None:
    pelican.settings.setdefault("JINJA_FILTERS", {})
    pelican.settings["JINJA_FILTERS"].setdefault("card", card)


def register() -> None:
    signals.initialized.connect(add_filter)
