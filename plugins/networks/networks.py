"""networks: a page, a paginated list and Atom/RSS feeds for each of the 13 networks.

The networks themselves are data in `thainews.networks`. After the articles are read, each
article's `networks` becomes a list of `NetworkPage` objects (name, URL, articles), and the
template context gains `NETWORKS`, so any template can list the networks with their counts.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from pelican import signals

from buildcore import rendering
from thainews import parallel
from thainews.networks import NETWORKS, Network

logger = logging.getLogger(__name__)

DEFAULTS = {
    "NETWORK_URL": "network/{slug}/",
    "NETWORK_SAVE_AS": "network/{slug}/index.html",
    "NETWORKS_URL": "network/",
    "NETWORKS_SAVE_AS": "network/index.html",
    "NETWORK_FEED_ATOM": "feeds/network/{slug}.atom.xml",
    "NETWORK_FEED_RSS": "feeds/network/{slug}.rss.xml",
}
PARALLEL_FROM = 200  # stories in the networks' lists; with fewer, starting workers costs more than it saves


@dataclass(eq=False)
class NetworkPage:
    network: Network
    url: str
    save_as: str
    feed_atom: str
    feed_rss: str
    articles: list = field(default_factory=list)

    def __getattr__(self, name):  # slug, name, name_en, description come from the data
        if name.startswith("__") or name == "network":
            raise AttributeError(name)
        return getattr(self.network, name)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def latest(self):
        return self.articles[0] if self.articles else None

    def __str__(self) -> str:
        return self.network.name


def settings_for(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}


def check_settings(pelican) -> None:
    for key, value in settings_for(pelican.settings).items():
        if not isinstance(value, str) or ("{slug}" not in value and key.startswith("NETWORK_")):
            raise ValueError(f"networks: setting {key} must be a string containing '{{slug}}', got {value!r}")


def attach_networks(generator) -> None:
    options = settings_for(generator.settings)
    pages = {
        network.slug: NetworkPage(
            network,
            url=options["NETWORK_URL"].format(slug=network.slug),
            save_as=options["NETWORK_SAVE_AS"].format(slug=network.slug),
            feed_atom=options["NETWORK_FEED_ATOM"].format(slug=network.slug),
            feed_rss=options["NETWORK_FEED_RSS"].format(slug=network.slug),
        )
        for network in NETWORKS
    }
    for article in generator.articles:  # newest first, so each list is too
        article.networks = [pages[network.slug] for network in getattr(article, "networks", [])]
        for page in article.networks:
            page.articles.append(article)
    for article in [*generator.drafts, *generator.hidden_articles]:
        article.networks = [pages[network.slug] for network in getattr(article, "networks", [])]
    generator.context["NETWORKS"] = list(pages.values())
    generator.context["NETWORKS_URL"] = options["NETWORKS_URL"]


def write_network_pages(generator, writer) -> None:
    """The networks' index and each network's pages (rendered on several cores: 13 lists of
    up to hundreds of pages each, seconds on one core at 10,000 stories), then their feeds."""
    options = settings_for(generator.settings)
    pages = generator.context["NETWORKS"]

    def network_lists(write) -> None:
        write(options["NETWORKS_SAVE_AS"], generator.get_template("networks"), generator.context,
              url=options["NETWORKS_URL"], networks=pages)
        for page in pages:
            write(page.save_as, generator.get_template("network"), generator.context,
                  paginated={"articles": page.articles}, template_name="network", url=page.url,
                  network=page, articles=page.articles)

    write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    many = sum(len(page.articles) for page in pages) >= PARALLEL_FROM
    rendering.write_in_parallel([network_lists], write, parallel.processes(generator.settings) if many else 1)
    for page in pages:
        if not page.articles:
            continue
        title = f"{page.name} · {generator.settings['SITENAME']}"
        writer.write_feed(page.articles, generator.context, page.feed_atom, page.feed_atom, feed_title=title)
        writer.write_feed(page.articles, generator.context, page.feed_rss, page.feed_rss, feed_type="rss", feed_title=title)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(attach_networks)
    signals.article_writer_finalized.connect(write_network_pages)
