"""article_links: newer/older neighbours and related articles for each article page.

Adds `article.newer`, `article.older` (or None) and `article.related` (a list) to every
published article. The ranking is `thainews.related`, a plain function.
"""

from pelican import signals

from thainews.related import related_indices

DEFAULT_RELATED_LIMIT = 4


def link_articles(generator) -> None:
    articles = generator.articles  # newest first
    limit = generator.settings.get("RELATED_ARTICLES", DEFAULT_RELATED_LIMIT)
    tags = [frozenset(tag.slug for tag in getattr(article, "tags", [])) for article in articles]
    networks = [frozenset(network.slug for network in getattr(article, "networks", [])) for article in articles]
    related = related_indices(tags, networks, limit=limit)
    for index, article in enumerate(articles):
        # Pelican formats an article's URL from its settings on every access; list pages ask
        # for it hundreds of thousands of times on a large site. The URL is final now.
        article.override_url = article.url
        article.newer = articles[index - 1] if index > 0 else None
        article.older = articles[index + 1] if index + 1 < len(articles) else None
        article.related = [articles[other] for other in related[index]]


def check_settings(pelican) -> None:
    limit = pelican.settings.get("RELATED_ARTICLES", DEFAULT_RELATED_LIMIT)
    if not isinstance(limit, int) or limit < 0:
        raise ValueError(f"article_links: RELATED_ARTICLES must be a whole number of 0 or more, got {limit!r}")


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(link_articles)
