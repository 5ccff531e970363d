"""Guards: the Pelican internals our code patches, replaces or relies on are still as we knew them.

Each entry below is code of Pelican that a plugin (or newsroom/) patches, replaces, mirrors or
reads the private state of; docs/architecture.md ("Patches of Pelican internals") says what and
why, one section per plugin. Checked with Pelican 4.12.0. When Pelican is upgraded and one of
these fails, read the new Pelican code, re-check the plugin the message names, fix it if need
be, then update the hash here (and the version in docs/architecture.md).

safe_output's guard (Writer._open_w) is in tests/test_publish.py, next to its other tests.
"""

import hashlib
import inspect
import re
from dataclasses import dataclass

import pelican.writers
import pytest

CHECKED_WITH = "4.12.0"
DOC = "docs/architecture.md"
ORDER_ANCHOR = "where-the-order-of-plugins-matters"


@dataclass(frozen=True)
class Guard:
    target: str  # where Pelican keeps it: "module:Qualified.name"
    sha256: str  # of inspect.getsource() in Pelican 4.12.0
    user: str  # what relies on it
    anchor: str  # its section in docs/architecture.md


GUARDS = [
    # strict_content replaces MarkdownReader.read and feeds Pelican's _parse_metadata its own self._md.
    Guard("pelican.readers:MarkdownReader.read",
          "1c8cfd04d8822d5708f08f3ad16acd33b34ebe9981c932d49688be7733de5985",
          "plugins/strict_content (ThaiNewsReader.read replaces it)", "strict_content-the-markdown-reader"),
    Guard("pelican.readers:MarkdownReader._parse_metadata",
          "3f01f071bbc3672d341454c22fed793740b7a1014344f6db540c2b0bb3537a21",
          "plugins/strict_content (sets self._md and a _NoMetadata stand-in for it)",
          "strict_content-the-markdown-reader"),
    Guard("pelican.readers:MarkdownReader.__init__",
          "49121e777b4f598a8413cffb8769c0e64bed0c3519d4e9e65ec64acb3725539a",
          "plugins/strict_content (self._source_path, the MARKDOWN extensions it builds its Markdown with)",
          "strict_content-the-markdown-reader"),
    Guard("pelican.readers:BaseReader.process_metadata",
          "f39f56eb2f21b4c9f201ac98c0092d83c71ff2ac606103d625ee296c47038a6e",
          "plugins/strict_content (ThaiNewsReader.process_metadata wraps it)", "strict_content-the-markdown-reader"),
    Guard("pelican.readers:Readers.__init__",
          "3026099450bc1e15471a4ba7230112fc24a2d9aa3b6c2e27eaf253ce387ae1cb",
          "plugins/strict_content and plugins/events (reader_classes at readers_init, readers.readers)",
          "strict_content-the-markdown-reader"),
    # strict_content reads the articles ahead, in Pelican's order, on several cores.
    Guard("pelican.readers:Readers.read_file",
          "356c609e59c1b30a36f6ea886b0d32e21f991d577f37f7ecf0dab7a48097bbbd",
          "plugins/strict_content (prefetch: the path Pelican gives reader.read) and plugins/events",
          "strict_content-reading-ahead-and-the-report"),
    Guard("pelican.generators:Generator.get_files",
          "1abfc730be9af343d23703f6a5384c45f49aa6f3b939328585ff7807c08cde64",
          "plugins/strict_content (prefetch_articles lists the files as Pelican will)",
          "strict_content-reading-ahead-and-the-report"),
    Guard("pelican.generators:ArticlesGenerator.generate_context",
          "16f8066e3e5b8a42181fdf7a90d98bfc2000abec5bac48a7eb9d1586b5731702",
          "plugins/strict_content (prefetch order), quick_lists (tags/categories/authors and the context), "
          "parallel_articles (the lists it splits), thai_search (article_generator_pretaxonomy)",
          "strict_content-reading-ahead-and-the-report"),
    Guard("pelican.contents:Content.get_static_links",
          "5236441e4de8c0446396a178b707ced75f941609dd9df68775c789e4a3404dd2",
          "plugins/strict_content (links that leave content/, with context['static_links'])",
          "strict_content-reading-ahead-and-the-report"),
    Guard("pelican.urlwrappers:URLWrapper.__init__",
          "b5477f72881a6cae2cdc1cca2ba0e38077e26abc2667a5a6aebf4f55a6786a47",
          "plugins/strict_content (a read-ahead worker drops wrapper.settings to pickle metadata)",
          "strict_content-reading-ahead-and-the-report"),
    # quick_lists replaces the article lists generate_tags/categories/authors search.
    Guard("pelican.generators:ArticlesGenerator.generate_tags",
          "37f65d284c713dd4dcd8b823d248cff420e163ac4400a7f7cfc13a4779ad9afb",
          "plugins/quick_lists; plugins/parallel_articles (records its writes, runs it again with them rendered)", "quick_lists-the-lists-of-tags-categories-and-authors"),
    Guard("pelican.generators:ArticlesGenerator.generate_categories",
          "cfb524524a3caae35717d53ba9cf85dfe271a0f677a3720f46f0367cf77b9a97",
          "plugins/quick_lists; plugins/parallel_articles (records its writes, runs it again with them rendered)", "quick_lists-the-lists-of-tags-categories-and-authors"),
    Guard("pelican.generators:ArticlesGenerator.generate_authors",
          "982c57fcfcf0435e5c882255c00bb78be3945b0dc9c44ecd707c218d00cacd9d",
          "plugins/quick_lists; plugins/parallel_articles (records its writes, runs it again with them rendered)", "quick_lists-the-lists-of-tags-categories-and-authors"),
    # parallel_articles replaces generate_articles on the generator instance.
    Guard("pelican.generators:ArticlesGenerator.generate_articles",
          "5494d418a930a36fd7a5fd52ad5588b39218f1efaba10762eafae9eac4aa94dd",
          "plugins/parallel_articles (runs it in workers over batches of LISTS, then in the main process "
          "with the pages rendered; one write a item)",
          "parallel_articles-rendering-on-several-cores"),
    Guard("pelican.generators:ArticlesGenerator.generate_pages",
          "bc8ecb407b83e66bb104f09172e92f97d6d9309209f58dbaab1e7fe5ce6dd8af",
          "plugins/parallel_articles (replaces it on the instance: the same steps in the same order, "
          "LIST_STEPS after the articles, then the drafts)",
          "parallel_articles-rendering-on-several-cores"),
    Guard("pelican.generators:ArticlesGenerator.generate_period_archives",
          "ff87757a701948dd982e49f7968f6e50b16aebdf493cf402fb2fc68cd6c4a780",
          "plugins/parallel_articles (records its writes, runs it again with them rendered)",
          "parallel_articles-rendering-on-several-cores"),
    Guard("pelican.generators:ArticlesGenerator.generate_direct_templates",
          "fa89888fb2c916eaf05989221f5c8695b5470afe00c9721ee0bcd251da21fd8b",
          "plugins/parallel_articles (records its writes, runs it again with them rendered)",
          "parallel_articles-rendering-on-several-cores"),
    Guard("pelican.generators:ArticlesGenerator.generate_drafts",
          "d52d714010dbfb7e0b7c98d93fd9315629e5915298a73c3eece01fac3281c039",
          "plugins/parallel_articles (calls it last, as generate_pages does)",
          "parallel_articles-rendering-on-several-cores"),
    Guard("pelican.writers:Writer.write_file",
          "6a604ad67bbeec997e58ef69a393930c22cf3178a760fdc21d2c42f1871da373",
          "plugins/parallel_articles (each page rendered by one template.render, in order (a list's pages "
          "one after the other), written through _open_w's `open`, then content_written sent)",
          "parallel_articles-rendering-on-several-cores"),
    # Content objects: private state that sharing, thai_search, article_links and events use.
    Guard("pelican.contents:Content.get_content",
          "5b963ce7e6237a1bc08c29c1fcf173b29ca51e86d42a4e88b42cccf0242315a4",
          "plugins/sharing (rewrites item._content) and plugins/thai_search (reads it)",
          "content-objects-_content-and-override_url"),
    Guard("pelican.contents:Content.get_url_setting",
          "e0eb063bf0a5ae24d6f0c1e7b7ffa31ecc673a3f672136e694e2005b702e1113",
          "plugins/article_links and plugins/events (override_url, override_save_as)",
          "content-objects-_content-and-override_url"),
    # sitemap_xml reads the period archives' inner shape; quick_lists fills their 'articles'.
    Guard("pelican.generators:ArticlesGenerator._build_period_archives",
          "c19e3024444c4c43b91c678d95652b51960e73fd307d749d2dc86c9f036104e9",
          "plugins/sitemap_xml (context['period_archives'][...]['url'] and ['articles']) and plugins/quick_lists "
          "(calls it with no articles, then fills each archive's 'articles' from its 'dates')",
          "sitemap_xml-the-period-archives"),
    # The feed writer reads a title as HTML: PlainText titles (strict_content) say they are text.
    Guard("pelican.writers:Writer._add_item_to_the_feed",
          "c52ed4daa728c7bcd67ed46c6427710585f519ded75239f55c3f445139cb325f",
          "plugins/thainews/plaintext.py (PlainText titles, set by strict_content)", "feed-titles-plaintext"),
    # Generators, their order and the run: events, newsroom/check.py, newsroom/build.py.
    Guard("pelican:Pelican._get_generator_classes",
          "18d46c73fad28de94889b558b7c2c90cd68986f36b0bc7941045aaba350c3990",
          "newsroom/check.py (calls it) and plugins/events (its generator runs after the articles')",
          "events-and-newsroom-check-generators"),
    Guard("pelican:Pelican.run",
          "296180f3ec4d7bff349b930f2e0fca689fceb970fa50648d194a81000cf46487",
          "newsroom/check.py (copies run's context set-up) and the signal order in docs/architecture.md",
          "events-and-newsroom-check-generators"),
    Guard("pelican:main",
          "0829153a263a5715f8ed6b4b0ddbb2e8f81482add3fecd0ae7afcf2720b8f63d",
          "newsroom/build.py (run_pelican does what main does for a plain build)", "newsroom-build-pelicans-main"),
    Guard("pelican:get_instance",
          "d7e4594fad3b59773d001d62cf69fdc1b032f466921b7bd4fa9ca67320b69172",
          "newsroom/build.py", "newsroom-build-pelicans-main"),
    Guard("pelican.log:init",
          "c9104d97791ed5a8aff60abf9a940effbed9f2a5bef4de7fa4b0449afdf6df97",
          "newsroom/build.py (init_logging with --fatal errors)", "newsroom-build-pelicans-main"),
    # photos keeps the photo folders out of the static walk (buildcore wraps the instance's
    # generate_context, adding to its own STATIC_EXCLUDES), and out of the static files if read anyway.
    Guard("pelican.generators:StaticGenerator.generate_context",
          "5e561253e5e458f62190ce13a985f246264a7dde3a20ae43ef775bb48f0b782b",
          "plugins/photos (buildcore.exclude_from_static: STATIC_EXCLUDES read when it runs; staticfiles)",
          "photos-the-originals-stay-out"),
    Guard("pelican.generators:StaticGenerator.check_disabled_readers",
          "d13ca1ac12e86c5888f4792057f1343a806e031f150c1e3e943ff5f7111b7579",
          "plugins/photos (buildcore.exclude_from_static: STATIC_EXCLUDES read when it runs)",
          "photos-the-originals-stay-out"),
    Guard("pelican.generators:StaticGenerator.generate_output",
          "39a57bba5e4cc0b41831dd2160a00591b74e0c323b6515f3d7ea935dc5f2ba84",
          "plugins/photos (copies only what context['staticfiles'] still holds)", "photos-the-originals-stay-out"),
]


def resolve(target: str):
    import importlib

    module, _, qualified = target.partition(":")
    value = importlib.import_module(module)
    for name in qualified.split("."):
        value = inspect.getattr_static(value, name) if inspect.isclass(value) else getattr(value, name)
    if hasattr(value, "func") and not inspect.isfunction(value):  # @memoized (Content.get_content)
        value = value.func
    return value


def pelican_version() -> str:
    from importlib.metadata import version

    return version("pelican")


def changed(what: str, user: str, anchor: str, detail: str = "") -> str:
    return (f"Pelican changed {what}, which {user} relies on: re-check {user.split(' (')[0]}, see {DOC}#{anchor} "
            f"(checked with Pelican {CHECKED_WITH}; this is Pelican {pelican_version()})"
            + (f"\n{detail}" if detail else ""))


def check_unchanged(guard: Guard) -> None:
    source = inspect.getsource(resolve(guard.target))
    if hashlib.sha256(source.encode()).hexdigest() != guard.sha256:
        pytest.fail(changed(guard.target, guard.user, guard.anchor, "Its code now:\n" + source), pytrace=False)


@pytest.mark.parametrize("guard", GUARDS, ids=[guard.target for guard in GUARDS])
def test_the_pelican_code_we_rely_on_is_unchanged(guard):
    check_unchanged(guard)


@pytest.mark.parametrize("guard", GUARDS, ids=[guard.target for guard in GUARDS])
def test_a_guard_fails_loudly_when_pelican_changes(guard):
    """Each guard can fail, with a message that names the plugin and the doc's section."""
    with pytest.raises(pytest.fail.Exception) as failure:
        check_unchanged(Guard(guard.target, "0" * 64, guard.user, guard.anchor))
    message = str(failure.value)
    assert message.startswith(f"Pelican changed {guard.target}, which {guard.user} relies on: re-check ")
    assert f"{DOC}#{guard.anchor}" in message


def test_every_guard_points_at_a_section_of_the_doc():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / DOC).read_text(encoding="utf-8")
    # GitHub's anchors: lower case, punctuation other than - and _ dropped, spaces as -.
    anchors = {re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
               for line in text.splitlines() if line.startswith("#")}
    missing = sorted(({guard.anchor for guard in GUARDS} | {ORDER_ANCHOR}) - anchors)
    assert not missing, f"{DOC} has no section for {missing}"


# ------------------------------------------------------------------------- behaviour, where cheap

def test_signals_call_receivers_in_the_order_they_were_connected():
    """blinker calls receivers in an undefined order (a set); Pelican 4.12 makes it connection
    order, i.e. PLUGINS order, by setting Signal.set_class: the fixed call order the docs show (the
    order that matters is buildcore.STEPS', docs/architecture.md)."""
    import blinker
    import pelican.plugins.signals  # noqa: F401 - sets Signal.set_class
    from ordered_set import OrderedSet

    anchor = ORDER_ANCHOR
    assert blinker.Signal.set_class is OrderedSet, changed(
        "pelican/plugins/signals.py (Signal.set_class = OrderedSet)", "the PLUGINS order in pelicanconf.py", anchor)
    signal = blinker.Signal()
    called = []
    receivers = [lambda sender, n=n: called.append(n) for n in range(40)]
    for receiver in reversed(receivers):
        signal.connect(receiver)
    signal.send(None)
    assert called == list(reversed(range(40))), changed(
        "the order blinker calls receivers in", "the PLUGINS order in pelicanconf.py", anchor)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Pelican as the build makes it, with our plugins registered (nothing is built)."""
    import os

    from pelican import Pelican

    from conftest import ROOT, SITE_CONTENT, site_settings

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        output = tmp_path_factory.mktemp("patches") / "output"
        return Pelican(site_settings(SITE_CONTENT, output))
    finally:
        os.chdir(cwd)


def receiver_names(signal) -> list[str]:
    from blinker import ANY

    return [f"{receiver.__module__.rsplit('.', 1)[-1]}.{receiver.__name__}" for receiver in signal.receivers_for(ANY)]


def test_the_plugins_that_must_run_first_do(site):
    from pelican import signals

    import buildcore  # the order lives in buildcore.STEPS, not in PLUGINS (tests/test_build_order.py)

    order = receiver_names(signals.all_generators_finalized)
    direct = [name for name in order if name.split(".")[0] in ("strict_content", "photos", "sharing", "thai_search")]
    assert "buildcore.run_steps" in order and not direct and buildcore.STEPS[:3] == ("report", "photos", "prepare"), (
        f"all_generators_finalized calls {order}: strict_content's report must come before sharing "
        f"draws anything (see {DOC}#{ORDER_ANCHOR})")
    assert "sharing.check_fonts_exist" not in receiver_names(signals.initialized)  # check_settings calls it


def test_the_events_generator_runs_after_pelicans_articles(site):
    """plugins/events reads context['articles'] and context['NETWORKS'] in generate_context."""
    names = [cls.__name__ for cls in site._get_generator_classes()]
    assert names == ["ArticlesGenerator", "PagesGenerator", "TemplatePagesGenerator", "EventsGenerator",
                     "StaticGenerator"], changed("the generators' order", "plugins/events",
                                                 "events-and-newsroom-check-generators", str(names))


def test_parse_metadata_renders_formatted_fields_with_self_md():
    """strict_content sets self._md to a Markdown of its own, with a stand-in "meta"
    preprocessor that _parse_metadata removes (plugins/strict_content: _NoMetadata)."""
    from markdown import Markdown
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    from strict_content.strict_content import _NoMetadata

    reader = MarkdownReader(dict(DEFAULT_CONFIG, MARKDOWN={"extensions": [], "output_format": "html5"}))
    reader._md = Markdown(extensions=[])
    reader._md.preprocessors.register(_NoMetadata(reader._md), "meta", 0)
    metadata = reader._parse_metadata({"summary": ["**bold**"], "title": ["a title"]})
    anchor = "strict_content-the-markdown-reader"
    assert metadata["summary"] == "<p><strong>bold</strong></p>", changed(
        "MarkdownReader._parse_metadata", "plugins/strict_content", anchor, repr(metadata))
    assert metadata["title"] == "a title"
    assert "meta" not in reader._md.preprocessors, changed(
        "MarkdownReader._parse_metadata (it no longer removes 'meta')", "plugins/strict_content", anchor)


def test_readers_init_can_still_swap_the_markdown_reader():
    from pelican import signals
    from pelican.readers import MarkdownReader, Readers
    from pelican.settings import DEFAULT_CONFIG

    class Swapped(MarkdownReader):
        pass

    def swap(readers):
        readers.reader_classes["md"] = Swapped

    signals.readers_init.connect(swap)
    try:
        readers = Readers(dict(DEFAULT_CONFIG, READERS={}))
    finally:
        signals.readers_init.disconnect(swap)
    assert isinstance(readers.readers.get("md"), Swapped), changed(
        "Readers (reader_classes at readers_init, readers.readers)", "plugins/strict_content and plugins/events",
        "strict_content-the-markdown-reader")


def test_content_objects_read_content_and_urls_as_our_plugins_set_them():
    from datetime import datetime

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Tag

    settings = dict(DEFAULT_CONFIG, SITEURL="")
    article = Article("<p>as read</p>", metadata={"title": "t", "date": datetime(2024, 1, 2)},
                      settings=settings)
    article._content = "<p>with a player</p>"  # what plugins/sharing does
    anchor = "content-objects-_content-and-override_url"
    assert article.content == "<p>with a player</p>", changed("Content.content", "plugins/sharing", anchor)
    article.override_url = "news/fixed/"  # plugins/article_links, plugins/events
    assert article.url == "news/fixed/", changed("Content.url", "plugins/article_links and plugins/events", anchor)
    assert Tag("x", settings).settings is settings, changed(
        "URLWrapper (settings kept in .settings)", "plugins/strict_content",
        "strict_content-reading-ahead-and-the-report")


def test_generate_articles_writes_the_lists_parallel_articles_shares_out():
    from pelican.generators import ArticlesGenerator

    from parallel_articles.parallel_articles import LISTS

    source = inspect.getsource(ArticlesGenerator.generate_articles)
    written = tuple(re.findall(r"self\.(\w+)", source.split("chain(", 1)[1].split(")", 1)[0]))
    assert written == LISTS, changed("what ArticlesGenerator.generate_articles writes",
                                     "plugins/parallel_articles", "parallel_articles-rendering-on-several-cores",
                                     f"{written} != {LISTS}")
    assert "self.generate_articles(write)" in inspect.getsource(ArticlesGenerator.generate_pages)


def test_the_writer_renders_an_article_page_once_and_writes_it_through_open(tmp_path, monkeypatch):
    """parallel_articles keeps a worker's page by replacing `open` in pelican.writers and hands
    the main process's writer a stand-in whose render() gives that page."""
    from pelican import signals
    from pelican.writers import Writer

    from buildcore.rendering import Encoded, Page, Rendered

    pages, heard = [], []
    writer = Writer(str(tmp_path), {"RELATIVE_URLS": False})
    with monkeypatch.context() as patch:  # without safe_output, pelican.writers has no `open` of its own
        patch.setattr(pelican.writers, "open", lambda path, mode="w", encoding=None: Page(pages, encoding),
                      raising=False)
        writer.write_file("a.html", Rendered(["<p>ข่าว</p>"]), {}, article="a", blog=True, url="a.html")
    # A page's file is opened as UTF-8 text: the worker hands the page back as its bytes (Encoded).
    assert pages == ["<p>ข่าว</p>".encode()] and type(pages[0]) is Encoded, changed(
        "how Writer.write_file renders and opens an article page (as UTF-8 text)", "plugins/parallel_articles",
        "parallel_articles-rendering-on-several-cores", repr(pages))

    def on_written(path, context):
        heard.append((path, context["article"]))

    signals.content_written.connect(on_written)
    try:
        Writer(str(tmp_path), {"RELATIVE_URLS": False}).write_file("b.html", Rendered(["<p>b</p>"]), {}, article="b")
    finally:
        signals.content_written.disconnect(on_written)
    assert (tmp_path / "b.html").read_text() == "<p>b</p>" and heard == [(str(tmp_path / "b.html"), "b")], changed(
        "what Writer.write_file sends with content_written", "plugins/parallel_articles",
        "parallel_articles-rendering-on-several-cores", repr(heard))


def test_newsroom_check_sets_up_the_context_as_pelican_run_does():
    from pelican import Pelican

    from newsroom import check

    ours = set(re.findall(r"(\w+)=", inspect.getsource(check.read_site).split("context.update(", 1)[1].split("\n")[0]))
    pelicans = set(re.findall(r'context\["(\w+)"\] =', inspect.getsource(Pelican.run)))
    assert ours == pelicans, changed("the context Pelican.run gives the generators", "newsroom/check.py",
                                     "events-and-newsroom-check-generators", f"{sorted(ours)} != {sorted(pelicans)}")


def test_pelicans_command_line_still_gives_what_newsroom_build_reads():
    from pelican import LOG_HANDLERS, parse_arguments

    args = parse_arguments([])
    missing = [name for name in ("autoreload", "listen", "path", "settings", "output", "fatal", "verbosity",
                                 "log_handler", "logs_dedup_min_level") if not hasattr(args, name)]
    assert not missing and args.log_handler in LOG_HANDLERS, changed(
        "pelican.parse_arguments", "newsroom/build.py", "newsroom-build-pelicans-main", f"missing {missing}")


def test_the_feed_writer_escapes_a_plaintext_title_once():
    from markupsafe import Markup

    from thainews.plaintext import PlainText

    assert Markup(PlainText("A <i>x</i> &amp; y")).striptags() == "A <i>x</i> &amp; y"
    from pelican.writers import Writer

    assert "Markup(item.title).striptags()" in inspect.getsource(Writer._add_item_to_the_feed), changed(
        "how the feed writer reads a title", "plugins/thainews/plaintext.py", "feed-titles-plaintext")
