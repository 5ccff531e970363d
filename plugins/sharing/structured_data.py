"""Structured data: the schema.org NewsArticle of an article, the FAQPage of a questions page
(`Template: faq`), and the `jsonld` filter that writes them into a page (templates:
`{{ article.structured_data|jsonld }}`, `{{ page.structured_data|jsonld }}`)."""


from markupsafe import Markup

from thainews.dates import iso_datetime
from thainews.faq import faq_page
from thainews.share import image_object, json_for_script, news_article
from thainews.text import html_to_text


def jsonld(data) -> Markup:
    """Jinja filter: `{{ article.structured_data|jsonld }}` inside <script type="application/ld+json">.

    Markup, so that autoescape leaves it alone: JSON is not HTML, and `json_for_script` writes
    <, > and & as \\u escapes, so no value can end the script element."""
    return Markup(json_for_script(data))


def _credits(item) -> list[str]:
    """The people or offices the file names: Author(s), else Writer, else Reporter."""
    metadata = item.metadata
    names = [str(name) for name in metadata.get("authors", [])]
    if not names and metadata.get("author"):
        names = [str(metadata["author"])]
    for key in ("writer", "reporter"):
        if not names and metadata.get(key):
            names = [str(metadata[key])]
    return [name.strip() for name in names if name.strip()]


def article_data(item, headline: str, publisher: dict) -> dict:
    """The NewsArticle of `item`, an article whose share image is set."""
    modified = getattr(item, "modified", None) or item.date
    category = getattr(item, "category", None)
    return news_article(
        url=item.share_url,
        headline=headline,
        description=html_to_text(getattr(item, "summary", "")),
        published=iso_datetime(item.date),
        modified=iso_datetime(modified),
        authors=_credits(item),
        publisher=publisher,
        images=[image_object(item.share_image.url, item.share_image.width, item.share_image.height)],
        section=category.name if category else "",
        keywords=[tag.name for tag in getattr(item, "tags", [])],
    )


def faq_data(item, name: str) -> dict:
    """The FAQPage of `item`, a page whose questions strict_content read (`item.faq`)."""
    return faq_page(url=item.share_url, name=name, entries=list(item.faq), language=getattr(item, "lang", "th") or "th")
