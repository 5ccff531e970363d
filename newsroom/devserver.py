"""`make devserver`: a preview that keeps up with the officer's saves (issue 14, point 4).

    python -m newsroom.devserver [content] [-s pelicanconf.py] [-o output] [-b 127.0.0.1] [-p 8000]
                                 [-t theme] [--cache-path cache] [-e KEY=VALUE ...]

What `pelican -r -l` did, and what this does instead:

* Pelican's autoreload starts watching only after its first build (a save made during that build
  was lost) and rebuilds the whole site on every save (about 40 s at 10,000 stories). Here the
  folders are polled (`snapshot`, every POLL seconds: path -> (mtime_ns, size)) from the start,
  and the snapshot a full build is compared with afterwards is taken *before* the build starts:
  whatever was saved while it ran is seen as changed once it ends, so no save is lost.
* A saved story or page is shown at once by a **fast render** (Hugo's fast render mode: what
  the reader is looking at first, the rest after): a one-file Pelican build (`render_one`, in a
  child forked from this process, which has Pelican and the plugins imported already) into a
  throw-away folder, with everything the page does not need switched off by settings
  (`fast_settings`: no lists, feeds, search, sitemap, calendar, static copies). Only that
  file's own page, and the files it refers to that output/ lacks (its new share card, a new
  picture), are copied into output/, each atomically (`publish_file`). The page lacks its
  newer/older and related links, and `{filename}` links to other files, until the full build.
* The **full build** (`python -m newsroom.build html`, what `make html` runs) runs in a child
  process, one at a time; changes made while it runs join into one next build. Lists (home,
  networks, tags, archives, search) follow within one ordinary build.
* The site is served from output/ by Pelican's own request handler (`/news/2567/x/` works as
  with `pelican -l`), in a **process** of its own rather than a thread: this process forks a
  worker for every fast render, and forking a process that runs other threads may copy a lock
  another thread holds (the worker would then hang on it). Both are `thainews.parallel`
  BackgroundJobs, the build's one way to use other processes.
* A file with a content problem: the fast render prints strict_content's report (Thai, then
  English) and copies nothing; the full build prints it too; the server goes on serving the
  last good pages. Ctrl-C (or SIGTERM) stops the server, the build and the render: no process
  is left behind.

The pure parts (snapshot and diff, which file can be fast-rendered, the settings of a fast
render, which files to copy) are plain functions, tested in tests/test_devserver.py;
bench/devserver_bench.py measures the whole against plain Pelican's rebuild.
"""

import argparse
import contextlib
import importlib
import os
import re
import secrets
import shutil
import signal
import socketserver
import subprocess
import sys
import time
from pathlib import Path

from newsroom import ROOT  # noqa: F401 - puts plugins/ on sys.path, as for every officer's command
from thainews import parallel
from thainews.romanise import LEXICON_NAME
from thainews.slug_record import RECORD_NAME

POLL = 0.2  # seconds between two looks at the watched folders (at least)
SHARE = 4  # ... and at least this many times as long as a look takes
# Editors' temporary and backup files, and what a killed build leaves: never a change to build.
IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", "~", ".partial", ".tmp", ".kate-swp")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
# Plugins a one-file render does without (whole-site work: the index, the sitemap, the calendar,
# whose links to stories would all be missing in a one-story site; the attachments, which are
# published as static files, which a one-file render does not copy: the list of a story's
# documents shows with the next full build).
FAST_WITHOUT = ("thai_search", "sitemap_xml", "events", "attachments")
# Test hook only: the full build is held this many seconds more after it ends, so that a test can
# save a file "during" a build (tests/test_devserver.py). Never set by the Makefile.
TEST_BUILD_PAUSE = "NEWSROOM_DEVSERVER_TEST_BUILD_PAUSE"


# ---------------------------------------------------------------------------------- pure parts

def ignored(name: str) -> bool:
    """An editor's temporary file (`.x.md.swp`, `x.md~`, `.#x.md`), a hidden file or a `.partial`."""
    return name.startswith(".") or name.endswith(IGNORED_SUFFIXES)


def snapshot(roots, skip=frozenset()) -> dict[str, tuple[int, int]]:
    """Every watched file (path -> (mtime_ns, size)) under `roots` (folders or files), but the
    paths in `skip` (what the build itself writes into content/: the record of given slugs, or
    each build would start the next). os.scandir and DirEntry.stat: about 10 µs a file (0.1 s
    at 10,000 stories)."""
    found: dict[str, tuple[int, int]] = {}
    pending = [str(root) for root in roots]
    seen: set[str] = set()
    while pending:
        folder = pending.pop()
        try:
            entries = os.scandir(folder)
        except NotADirectoryError:  # a root that is a file (the settings file)
            stat = os.stat(folder)
            found[folder] = (stat.st_mtime_ns, stat.st_size)
            continue
        except OSError:  # gone since it was listed: the next look sees it
            continue
        with entries:
            for entry in entries:
                if ignored(entry.name) or entry.path in skip:
                    continue
                try:
                    if entry.is_dir():
                        real = os.path.realpath(entry.path)  # a linked folder, followed once
                        if real not in seen:
                            seen.add(real)
                            pending.append(entry.path)
                        continue
                    stat = entry.stat()
                except OSError:
                    continue
                found[entry.path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: dict, after: dict) -> list[str]:
    """Paths added, removed or changed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def _under(relative: str, folders) -> bool:
    return any(relative == folder.strip("/") or relative.startswith(folder.strip("/") + "/") for folder in folders)


def renderable(path: str, settings) -> str | None:
    """"article" or "page" when `path` is a Markdown file of the news or pages folders that
    still exists (a fast render can show it); else None (a deletion, a picture, the lexicon,
    an activity, the theme: the full build alone)."""
    content = os.path.abspath(settings["PATH"])
    relative = os.path.relpath(os.path.abspath(path), content)
    if relative.startswith("..") or not relative.lower().endswith(MARKDOWN_SUFFIXES) or not os.path.isfile(path):
        return None
    if _under(relative, settings.get("EVENT_PATHS", [])):
        return None
    if _under(relative, settings["PAGE_PATHS"]):
        return "page"
    if _under(relative, settings["ARTICLE_PATHS"]):
        return "article"
    return None


def fast_settings(settings, kind: str, relative: str, output: str, cache: str) -> dict:
    """What a one-file render changes in the site's settings: read only `relative` (and the few
    pages, for the menu), write only its own page (every list, feed and copy off), into
    `output`, with its own cache (`cache`: share cards, compiled templates) and one process."""
    from jinja2 import FileSystemBytecodeCache

    jinja_cache = os.path.join(cache, "jinja")
    os.makedirs(jinja_cache, exist_ok=True)
    off = {name: "" for name in (
        "TAG_SAVE_AS", "TAGS_SAVE_AS", "CATEGORY_SAVE_AS", "CATEGORIES_SAVE_AS", "AUTHOR_SAVE_AS",
        "AUTHORS_SAVE_AS", "ARCHIVES_SAVE_AS", "YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS",
        "DAY_ARCHIVE_SAVE_AS")}
    feeds = {name: None for name in settings  # FEED_ALL_ATOM, TAG_FEED_RSS, ... (not the networks': they need {slug})
             if "FEED" in name and name.endswith(("ATOM", "RSS")) and not name.startswith("NETWORK")}
    overrides = {
        **off, **feeds,
        "ARTICLE_PATHS": [relative] if kind == "article" else [],
        "EVENT_PATHS": [],
        "OUTPUT_PATH": output,
        "CACHE_PATH": cache,
        "PROCESSES": 1,
        "DIRECT_TEMPLATES": [],
        "TEMPLATE_PAGES": {},
        "STATIC_PATHS": [],
        "THEME_STATIC_PATHS": [],
        "DELETE_OUTPUT_DIRECTORY": False,
        "PLUGINS": [name for name in settings["PLUGINS"] if name not in FAST_WITHOUT],
        "JINJA_ENVIRONMENT": {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": FileSystemBytecodeCache(jinja_cache)},
        # The record of given slugs is read (a story keeps its URL) but written by full builds only.
        "STRICT_CONTENT": {**settings.get("STRICT_CONTENT", {}), "WRITE_SLUG_RECORD": False},
    }
    if kind == "page":
        overrides["PAGE_PATHS"] = [relative]
    else:  # the pages are read for the menu, not written
        overrides["PAGE_SAVE_AS"] = overrides["DRAFT_PAGE_SAVE_AS"] = ""
    return overrides


_REFERENCE = re.compile(r'''(?:src|href|content|srcset|poster)\s*=\s*["']([^"']+)["']''', re.IGNORECASE)


def local_references(html: str) -> set[str]:
    """Paths on this site (`/images/share/x.png`) that a page's attributes refer to."""
    found = set()
    for value in _REFERENCE.findall(html):
        for candidate in value.split(","):  # srcset: "url 480w, url 960w"
            url = candidate.strip().split(" ")[0].split("#")[0].split("?")[0]
            if url.startswith("/") and not url.startswith("//"):
                found.add(url)
    return found


def files_to_copy(page: str, references, rendered: Path, output: Path, content: Path,
                  static_paths) -> list[tuple[Path, Path]]:
    """(from, to) pairs: the page itself (`page`, its save_as), then each referenced file that
    output/ lacks, from the render's folder or, for a static folder (`images/`), from content/.
    Never another page, list or feed (`.html`, `.xml`, a folder's URL): those a one-file build
    would show with one story; the full build writes them."""
    pairs = [(rendered / page, output / page)]
    for url in sorted(references):
        relative = url.lstrip("/")
        if not relative or url.endswith("/") or relative.lower().endswith((".html", ".htm", ".xml")):
            continue
        if ".." in relative.split("/") or (output / relative).exists():
            continue
        if (rendered / relative).is_file():
            pairs.append((rendered / relative, output / relative))
        elif _under(relative, static_paths) and (content / relative).is_file():
            pairs.append((content / relative, output / relative))
    return pairs


def publish_file(source: Path, target: Path) -> None:
    """Copy `source` to `target` so that a reader sees the old file or the new one, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        shutil.copyfile(source, partial)
        os.chmod(partial, 0o666 & ~_umask())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def may_write(page: str, source: str, output: Path, new: bool, written_by: dict[str, str]) -> bool:
    """A new file may not take the address of a page output/ already has (another story with
    that slug: the full build reports the clash) unless a fast render of this same file wrote it."""
    return not new or not (output / page).exists() or written_by.get(page) == source


# ---------------------------------------------------------------------------------- fast render

def _items_of(generators, source: str) -> list:
    items = []
    for generator in generators:
        for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            items.extend(item for item in getattr(generator, attribute, []) if item.source_path == source)
    return items


def render_one(config: dict, path: str, kind: str, work: Path, new: bool, written_by: dict, copy: bool = True) -> dict:
    """In a forked child: build `path` alone into `work`/out, then copy its page (and the files
    the page refers to that output/ lacks) into output/. Returns what was written. `copy=False`:
    only warm the caches (compiled templates, the story's share card)."""
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    settings = read_settings(config["settings"], override=config["override"])
    content, output = Path(settings["PATH"]), Path(config["output"])
    rendered = work / "out"
    shutil.rmtree(rendered, ignore_errors=True)
    relative = os.path.relpath(path, content)
    settings.update(fast_settings(settings, kind, relative, str(rendered), str(work / "cache")))
    found: list = []

    def keep_items(generators):
        found.extend(_items_of(generators, os.path.abspath(path)))

    signals.all_generators_finalized.connect(keep_items)
    sys.argv = ["pelican", str(content)]  # not `-r`: a content problem ends this child with the report
    Pelican(settings).run()
    pages, refused = [], []
    if not copy:
        return {"pages": pages, "refused": refused}
    for item in found:
        page = item.save_as
        if not page or not (rendered / page).is_file():
            continue
        if not may_write(page, path, output, new, written_by):
            refused.append(page)
            continue
        html = (rendered / page).read_text(encoding="utf-8")
        for source, target in files_to_copy(page, local_references(html), rendered, output, content,
                                            config["static_paths"]):
            publish_file(source, target)
        pages.append(page)
    return {"pages": pages, "refused": refused}


def _render_job(_stop_requested, config: dict, path: str, kind: str, work: Path, new: bool, written_by: dict,
                copy: bool) -> dict | None:
    """In the render's worker process: `render_one`; None when strict_content's report stopped it."""
    import logging

    # Links to other stories cannot be found in a one-file site: the full build resolves them.
    logging.getLogger("pelican.contents").setLevel(logging.ERROR)
    try:
        return render_one(config, path, kind, work, new, written_by, copy)
    except SystemExit:  # the report was printed
        return None


def fork_render(config: dict, path: str, kind: str, work: Path, new: bool, written_by: dict,
                copy: bool = True) -> dict | None:
    """Run `render_one` in a worker forked from this process (Pelican and the plugins imported
    already: `thainews.parallel.BackgroundJob`, the build's one way to use other processes);
    its result comes back whole. None when the file could not be built (the worker has printed
    strict_content's report, or the error is printed here). Ctrl-C or SIGTERM while it runs
    kills it at once: it must not go on writing into output/."""
    job = parallel.BackgroundJob(_render_job, config, path, kind, work, new, written_by, copy)
    try:
        return job.result()
    except parallel.BackgroundJobFailed as error:
        print(f"แสดงตัวอย่างด่วนไม่ได้ / fast render failed: {error}", file=sys.stderr)
        return None


# ---------------------------------------------------------------------------------- the server

def quiet_handler(output: Path) -> type:
    """The request handler of the preview: Pelican's (`/news/2567/x/` as with `pelican -l`) on
    `output`, without a line per request. `make desk` subclasses it (newsroom/desk.py)."""
    from pelican.server import ComplexHTTPRequestHandler

    class Quiet(ComplexHTTPRequestHandler):
        base_path = str(output)

        def log_message(self, *args):  # one line per request would bury the build's messages
            pass

        def get_path_that_exists(self, original_path):
            original = ComplexHTTPRequestHandler.SUFFIXES
            for suffix in original:
                candidate = original_path.rstrip("/") + suffix
                if (suffix != "/" or original_path.endswith("/")) and os.path.exists(self.translate_path(candidate)):
                    return candidate
            self.send_error(404)
            return None

    return Quiet


def start_server(output: Path, host: str, port: int, handler: type | None = None) -> "parallel.BackgroundJob":
    """Bind here (a port in use is this command's error), serve in a worker process; `handler`:
    the request handler class (default: `quiet_handler(output)`)."""
    from http.server import HTTPServer

    class Server(socketserver.ThreadingMixIn, HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    output.mkdir(parents=True, exist_ok=True)
    httpd = Server((host, port), handler or quiet_handler(output))
    httpd.timeout = 0.2  # handle_request returns this often, to look whether to stop
    try:
        return parallel.BackgroundJob(_serve, httpd, os.getpid())
    finally:
        httpd.socket.close()  # the worker has its own copy of the listening socket


def _serve(stop_requested, httpd, parent: int) -> None:
    """In the server's worker process: answer requests until asked to stop, or until the
    devserver is gone (killed with SIGKILL: no server without it)."""
    while not stop_requested():
        if os.getppid() != parent:  # nobody is left to end this worker: it ends itself
            os._exit(0)
        httpd.handle_request()
    httpd.server_close()


# ---------------------------------------------------------------------------------- the loop

class Stop(KeyboardInterrupt):
    pass


def _stop(signum, _frame):
    raise Stop(signum)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m newsroom.devserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default="content")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=8000)
    parser.add_argument("-t", "--theme-path")
    parser.add_argument("--cache-path")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[])
    return parser.parse_args(argv)


def build_argv(args) -> list[str]:
    """The options of `python -m newsroom.build html` (and of Pelican) for this site."""
    argv = [args.path, "-s", args.settings, "-o", args.output, "--fatal", "errors"]
    if args.theme_path:
        argv += ["-t", args.theme_path]
    if args.cache_path:
        argv += ["--cache-path", args.cache_path]
    if args.extra_settings:
        argv += ["-e", *args.extra_settings]
    return argv


class Devserver:
    def __init__(self, args):
        from pelican import get_config
        from pelican.settings import read_settings

        from newsroom.build import pelican_arguments

        self.args = args
        pelican_args = pelican_arguments("html", build_argv(args))
        override = get_config(pelican_args)
        self.settings = read_settings(args.settings, override=override)
        self.output = Path(self.settings["OUTPUT_PATH"]).absolute()
        self.content = Path(self.settings["PATH"]).absolute()
        self.config = {"settings": args.settings, "override": override, "output": str(self.output),
                       "static_paths": list(self.settings.get("STATIC_PATHS", []))}
        self.roots = [self.content, Path(self.settings["THEME"]).absolute(), Path(args.settings).absolute()]
        record = self.settings.get("STRICT_CONTENT", {}).get("SLUG_RECORD", RECORD_NAME)
        self.skip = frozenset([str(self.content / record)] if record else [])  # written by the build itself
        self.work = Path(self.settings["CACHE_PATH"]).absolute() / "devserver"
        self.build: subprocess.Popen | None = None
        self.build_ended: float | None = None
        self.base: dict = {}  # the snapshot taken before the running (or last) full build started
        self.seen: dict | None = None  # the last look (None: before the first build)
        self.pending = True  # a full build is wanted (the first one at start)
        self.warm = False  # a fast render has filled its caches (compiled templates)
        self.known: set[str] = set()  # files the last full build started with
        self.written_by: dict[str, str] = {}  # page -> source, for pages a fast render wrote
        self.interval = POLL
        self.pause = float(os.environ.get(TEST_BUILD_PAUSE, "0") or 0)

    def url(self, page: str) -> str:
        page = page[:-len("index.html")] if page.endswith("index.html") else page
        return f"http://{self.args.bind}:{self.args.port}/{page}"

    def warm_up(self) -> None:
        """Import Pelican and the plugins once, here: every fast render's child starts with them."""
        import pelican.generators
        import pelican.readers
        import pelican.writers  # noqa: F401
        for name in self.settings["PLUGINS"]:
            if isinstance(name, str):
                importlib.import_module(name)
        # The word lists of the slugs and summaries, the romanisation model and cache: once, here.
        from thainews import slugs

        strict = self.settings.get("STRICT_CONTENT", {})
        slugs.use_site(self.content, Path(self.settings["CACHE_PATH"]), strict.get("ROMANISATION_LEXICON", LEXICON_NAME))
        slugs.prepare(model=True)
        slugs.slugify_thai("ข่าวการขับเคลื่อนจังหวัดคุณธรรม")
        # Markdown imports its extensions and compiles its patterns on first use (re's cache).
        import markdown

        markdown.Markdown(**self.settings["MARKDOWN"]).convert("*a* [b](c)")

    def start_build(self) -> None:
        self.base = snapshot(self.roots, self.skip)  # before the build: anything saved from now on is seen after it
        if self.seen is not None:  # saved since the last look: shown now, built below
            self.fast(changes(self.seen, self.base))
        self.seen = self.base
        self.known = set(self.base)
        self.pending = False
        print("กำลังสร้างทั้งเว็บ / building the whole site ...", file=sys.stderr, flush=True)
        self.started = time.perf_counter()
        self.build = subprocess.Popen([sys.executable, "-m", "newsroom.build", "html", *build_argv(self.args)],
                                      start_new_session=True)

    def build_finished(self) -> bool:
        if self.build is None or self.build.poll() is None:
            return False
        if self.pause:
            self.build_ended = self.build_ended or time.perf_counter()
            if time.perf_counter() - self.build_ended < self.pause:
                return False
        code = self.build.returncode
        if not self.warm:  # the machine is idle now: the first fast render would pay for the caches
            self.warm = True
            stories = (path for path in sorted(self.base) if renderable(path, self.settings) == "article")
            story = next(stories, None)
            if story:
                with open(os.devnull, "w") as quiet, _redirected(quiet):
                    fork_render(self.config, story, "article", self.work, False, {}, copy=False)
        self.build = None
        self.build_ended = None
        took = time.perf_counter() - self.started
        if code == 0:
            print(f"สร้างทั้งเว็บเสร็จ ({took:.1f} วินาที) / whole site built ({took:.1f} s): "
                  f"http://{self.args.bind}:{self.args.port}/", file=sys.stderr, flush=True)
        else:
            print("สร้างทั้งเว็บไม่สำเร็จ: แก้ตามรายการด้านบนแล้วบันทึกอีกครั้ง / the whole-site build failed: fix "
                  "what is listed above and save again (the server goes on with the last good pages)",
                  file=sys.stderr, flush=True)
        return True

    def fast(self, paths) -> None:
        """Fast-render each changed story or page; any change asks for a full build."""
        for path in paths:
            self.pending = True
            kind = renderable(path, self.settings)
            if kind is None:
                continue
            started = time.perf_counter()
            result = fork_render(self.config, path, kind, self.work, path not in self.known, self.written_by)
            self.warm = True
            shown = os.path.relpath(path, self.content.parent)  # content/news/..., as the report says
            if result is None:
                print(f"ยังไม่แสดง {shown}: แก้ตามรายการด้านบนแล้วบันทึกอีกครั้ง / {shown} not shown: fix what is "
                      f"listed above and save again", file=sys.stderr, flush=True)
                continue
            for page in result["pages"]:
                self.written_by[page] = path
                print(f"แสดงแล้ว / shown ({time.perf_counter() - started:.2f} s): {shown} → {self.url(page)}",
                      file=sys.stderr, flush=True)
            for page in result["refused"]:
                print(f"ไม่แสดง {shown}: ที่อยู่ /{page} เป็นของไฟล์อื่นอยู่แล้ว (รอการสร้างทั้งเว็บ) / {shown} not shown: "
                      f"/{page} already belongs to another file (the whole-site build will tell)",
                      file=sys.stderr, flush=True)

    def loop(self) -> None:
        while True:
            self.step()
            time.sleep(self.interval)

    def step(self) -> None:
        """One turn: a full build that ended, the next one, one look at the folders."""
        if self.build_finished():
            after = snapshot(self.roots, self.skip)
            since = changes(self.base, after)  # saved while it ran: its pages may be older
            self.seen = after
            if since:
                self.fast(since)
        if self.build is None and self.pending:
            self.start_build()
        started = time.perf_counter()
        now = snapshot(self.roots, self.skip)
        # A big site takes a while to look at: look less often, so that watching costs at
        # most 1/SHARE of a core (10,000 stories: every ~0.5 s instead of POLL).
        self.interval = max(POLL, SHARE * (time.perf_counter() - started))
        new = changes(self.seen, now)
        self.seen = now
        if new:
            self.fast(new)

    def stop_children(self) -> None:
        if self.build is not None and self.build.poll() is None:
            try:
                os.killpg(self.build.pid, signal.SIGTERM)  # newsroom.build ends its workers itself
            except ProcessLookupError:
                pass
            try:
                self.build.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.build.pid, signal.SIGKILL)
                self.build.wait()
        if self.build is not None:  # its workers, should one outlive it
            try:
                os.killpg(self.build.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


class _redirected:
    """stdout and stderr (the file descriptors: a forked child's too) into `file`, for a while."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = [os.dup(1), os.dup(2)]
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)

    def __exit__(self, *exc):
        for fd, saved in zip((1, 2), self.saved, strict=True):
            os.dup2(saved, fd)
            os.close(saved)


def main(argv: list[str] | None = None, handler_for=None, command: str = "make devserver",
         started: str = "ดูตัวอย่างที่ / preview at http://{host}:{port}/") -> int:
    """`handler_for(devserver)`: the request handler class to serve with (`make desk`'s), else
    the preview's; `started`: the line printed once serving (`{host}`, `{port}`)."""
    from newsroom.build import Refused, fault_line, missing_content_line, missing_settings_line

    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not Path(args.path).is_dir():
        print(missing_content_line(Path(args.path)), file=sys.stderr)
        return 1
    if not Path(args.settings).is_file():
        print(missing_settings_line(Path(args.settings)), file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)  # also when started in the background, where SIGINT is ignored
    server = None
    devserver = None
    try:
        devserver = Devserver(args)
        devserver.warm_up()
        handler = handler_for(devserver) if handler_for else None
        server = start_server(devserver.output, args.bind, args.port, handler)
        print(started.format(host=args.bind, port=args.port) + " (Ctrl-C หยุด / to stop)", file=sys.stderr, flush=True)
        devserver.loop()
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("หยุดแล้ว / stopped", file=sys.stderr)
        return 0
    except OSError as error:
        print(fault_line(error, Path(args.output), command), file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up below is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if devserver is not None:
            devserver.stop_children()
        if server is not None:
            server.request_stop()
            with contextlib.suppress(parallel.BackgroundJobFailed):
                server.result(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
