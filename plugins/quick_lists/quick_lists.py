"""quick_lists: the same tag, category and author pages, without Pelican's quadratic search.

To write the page of a tag, Pelican 4.12 lists the tag's articles in date order with
`[article for article in self.dates if article in articles]`: every article of the site is
looked for in the tag's list, one comparison per element. At 10,000 articles that is hundreds
of millions of comparisons (about 13 s of a build). Here each of those lists is replaced, once
the articles are read, by a list that answers `in` from a set of object ids. Same elements,
same order, same pages; nothing else changes.
"""

import logging
from collections import defaultdict

from pelican import signals

logger = logging.getLogger(__name__)


class MembershipList(list):
    """A list that answers `item in list` by identity, in constant time.

    Built once from a finished list; Pelican does not change these lists afterwards (a change
    would not be seen by `in`, so the mutating methods are refused).
    """

    def __init__(self, items):
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids

    def _refuse(self, *args, **kwargs):
        raise TypeError("quick_lists: this list of articles is read-only once the articles are read")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


def quicken(generator) -> None:
    """Swap the article lists of tags, categories and authors, in the generator and its context."""
    generator.tags = defaultdict(list, {tag: MembershipList(articles) for tag, articles in generator.tags.items()})
    generator.categories = [(category, MembershipList(articles)) for category, articles in generator.categories]
    generator.authors = [(author, MembershipList(articles)) for author, articles in generator.authors]
    # Pelican put these in the context as lists of (name, articles) pairs; keep the two the same.
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors


def register() -> None:
    signals.article_generator_finalized.connect(quicken)
