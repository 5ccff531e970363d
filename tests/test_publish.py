"""Issue 13, points 8 and 10: `make publish` replaces output/ only when complete, `make deploy`
uploads only a complete publish, and faults of the machine give one bilingual line.

The builds run as the Makefile runs them (`python -m newsroom.build`, `make deploy`), in
subprocesses, on copies of the test site (tests/data/site/). Deploy targets are local folders.
"""

import errno
import hashlib
import inspect
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import PUBLIC_URL, ROOT, SITE_CONTENT, run_build_command

sys.path.insert(0, str(ROOT))
from newsroom import build as build_module
from newsroom.build import MARKER, Blocked, manifest, remove_stale, swap_in

SITEURL = PUBLIC_URL  # made_public's
STORIES = 300  # enough for a publish to take several seconds, so that it can be interrupted midway
NOBODY = 65534


# ---------------------------------------------------------------------------------- helpers

def snapshot(folder: Path) -> dict[str, str]:
    """Everything in a folder, dot-files and the marker included: path -> sha256 (or link)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = "link:" + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[key] = "dir"
    return found


def deploy(output: Path, target: Path | str, env=None):
    return subprocess.run(["make", "-s", "deploy", f"OUTPUT={output}", f"DEPLOY_TARGET={target}/"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def sent(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith((">f", "*deleting", "cd+"))]


def bilingual_line(stderr: str) -> str:
    """The one line the command printed for a fault (Thai, then English)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if " / " in line and any("\u0e00" <= c <= "\u0e7f" for c in line)]
    assert len(lines) == 1, stderr
    thai, english = lines[0].split(" / ", 1)
    assert any("\u0e00" <= c <= "\u0e7f" for c in thai), lines[0]  # Thai first ...
    assert not any("\u0e00" <= c <= "\u0e7f" for c in english.split(" / ")[-1]), lines[0]  # ... then English
    return lines[0]


needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as probe:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True)
        if done.returncode != 0:
            return False
        subprocess.run(["umount", probe], check=True)
    return True


@contextmanager
def tmpfs(folder: Path, options: str):
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root and tmpfs mounts (the CI machine has both)")


def as_other_user() -> list[str] | None:
    """How to run a command without root's power over permissions: nothing when not root,
    setpriv to nobody when root; None when root cannot drop it here."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    return None


@pytest.fixture
def shared_tmp():
    """A temporary folder another user can enter (pytest's own are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="publish-test-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------- fixtures

# made_public (tests/conftest.py): `make publish` of the test site, once; tests work on copies.
SITE_BUILDS = {"many_stories"}  # fixtures that build a site: the tests using them are slow (conftest.py)


@pytest.fixture
def copy_of(tmp_path):
    def copy(folder: Path, name: str = "output") -> Path:
        target = tmp_path / name
        shutil.copytree(folder, target, symlinks=True)
        return target
    return copy


@pytest.fixture(scope="module")
def many_stories(tmp_path_factory) -> Path:
    """The test site and 300 synthetic stories: a publish that takes several seconds."""
    content = tmp_path_factory.mktemp("many") / "content"
    shutil.copytree(SITE_CONTENT, content)
    news = content / "news" / "2567"
    news.mkdir(parents=True, exist_ok=True)
    networks = ("เครือข่ายศาสนา", "เครือข่ายชุมชนคุณธรรม", "เครือข่ายเด็กและเยาวชนคุณธรรม")
    for number in range(STORIES):
        (news / f"synthetic-{number:03d}.md").write_text(
            f"Title: ข่าวทดสอบการเผยแพร่ลำดับที่ {number} ของเครือข่ายคุณธรรมเชียงราย\n"
            f"Date: 2567-{1 + number % 12:02d}-{1 + number % 28:02d}\nSlug: synthetic-story-{number:03d}\n"
            f"Networks: {networks[number % 3]}\nTags: ทดสอบ{number % 7}\n\n"
            + "เยาวชนและชุมชนร่วมกันทำความดีเพื่อสังคม ปลูกต้นไม้ เก็บขยะ และช่วยเหลือผู้สูงอายุ " * 20 + "\n",
            encoding="utf-8")
    return content


def interrupted_publish(content: Path, output: Path, how: int, cache: Path) -> subprocess.CompletedProcess:
    """Start a publish, wait until it is writing the new site, then send `how` to its process
    group (as Ctrl-C in a terminal does)."""
    command = [sys.executable, "-m", "newsroom.build", "publish", str(content), "-o", str(output),
               "-s", str(ROOT / "publishconf.py"), "-t", str(ROOT / "theme"), "--cache-path", str(cache)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "SITEURL": SITEURL}, start_new_session=True)
    deadline = time.monotonic() + 240
    try:
        while True:
            staging = list(output.parent.glob(f"{output.name}.publishing-{process.pid}-*"))
            written = sum(1 for path in staging[0].rglob("*") if path.is_file()) if staging else 0
            if written >= 50:
                break
            assert process.poll() is None, "the publish ended before it could be interrupted: " + \
                process.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the publish wrote nothing for 4 minutes"
            time.sleep(0.05)
        os.killpg(process.pid, how)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


# ---------------------------------------------------------------------------------- the marker

def test_a_complete_publish_leaves_a_marker_listing_every_file(made_public):
    marker = json.loads((made_public / MARKER).read_text(encoding="utf-8"))
    assert marker["settings"] == "publishconf.py" and marker["siteurl"] == SITEURL
    assert marker["retained"] == [".git"]
    assert marker["files"] == manifest(made_public, [".git"])
    assert "index.html" in marker["files"] and MARKER not in marker["files"]
    assert "drafts/index.html" not in marker["files"]
    assert not [p for p in made_public.parent.iterdir() if p.name.startswith(("output.publishing-", "output.replaced-"))]
    assert stat.S_IMODE(made_public.stat().st_mode) == 0o777 & ~current_umask()  # as os.makedirs made it
    assert stat.S_IMODE((made_public / "index.html").stat().st_mode) == 0o666 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_publish_again_replaces_output_keeps_git_cleans_stale_folders_same_marker(made_public, copy_of):
    output = copy_of(made_public)
    before = (output / MARKER).read_bytes()
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (output / "old-page.html").write_text("gone after the publish", encoding="utf-8")
    stale = output.parent / "output.publishing-999999999-dead"  # a publish that was killed
    (stale / "news").mkdir(parents=True)
    result = run_build_command("publish", SITE_CONTENT, output, "-s", str(ROOT / "publishconf.py"),
                               env={"SITEURL": SITEURL})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (output / MARKER).read_bytes() == before  # same content, same marker, byte for byte
    assert (output / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert not (output / "old-page.html").exists()
    assert not stale.exists()
    assert sorted(p.name for p in output.parent.iterdir() if p.name.startswith("output.")) == []


def test_a_preview_build_removes_the_marker_and_cannot_be_deployed(made_public, copy_of, tmp_path):
    output = copy_of(made_public)
    killed = output / "news" / ".index.html.k1ll3d.partial"  # left by a killed preview build
    killed.write_text("<html><body>half a pa", encoding="utf-8")
    result = run_build_command("html", SITE_CONTENT, output, "-s", str(ROOT / "pelicanconf.py"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (output / MARKER).exists()
    assert not killed.exists()
    assert (output / "drafts" / "index.html").is_file()
    target = tmp_path / "www"
    target.mkdir()
    (target / "live.html").write_text("the live site", encoding="utf-8")
    refused = deploy(output, target)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "make publish" in refused.stderr and "ไม่อัปโหลด" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert snapshot(target) == {"live.html": hashlib.sha256(b"the live site").hexdigest()}


def test_a_swap_that_fails_midway_puts_output_back(tmp_path, monkeypatch):
    staging, output = tmp_path / "output.publishing-1-x", tmp_path / "output"
    (staging / "news").mkdir(parents=True)
    (output / ".git").mkdir(parents=True)
    (output / "index.html").write_text("the previous site", encoding="utf-8")
    before = snapshot(output)
    real = os.rename

    def rename(source, target):
        if Path(source) == staging and Path(target) == output:
            raise OSError(errno.EIO, "Input/output error", str(target))
        return real(source, target)

    monkeypatch.setattr(build_module.os, "rename", rename)
    with pytest.raises(OSError):
        swap_in(staging, output, [".git"])
    assert snapshot(output) == before  # .git moved back too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "output.publishing-1-x"]


def test_signals_wait_while_output_is_swapped():
    got = []
    previous = signal.signal(signal.SIGTERM, lambda *_: got.append("SIGTERM"))
    try:
        with Blocked():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            assert got == []
        time.sleep(0.05)
        assert got == ["SIGTERM"]
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------------------------- deploy

@needs_rsync
def test_deploy_uploads_a_complete_publish_without_the_marker_then_nothing(made_public, tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("old page", encoding="utf-8")
    first = deploy(made_public, target)
    assert first.returncode == 0, first.stdout + first.stderr
    assert snapshot(target) == {k: v for k, v in snapshot(made_public).items() if k != MARKER}
    second = deploy(made_public, target)
    assert second.returncode == 0 and sent(second) == [], second.stdout


@needs_rsync
def test_deploy_leaves_out_what_pelican_keeps_in_output(made_public, copy_of, tmp_path):
    """OUTPUT_RETENTION (.git, for people who push output/ elsewhere) is kept, not uploaded."""
    output = copy_of(made_public)
    (output / ".git").mkdir()
    (output / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    target = tmp_path / "www"
    target.mkdir()
    result = deploy(output, target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (target / ".git").exists() and (target / "index.html").is_file()


@needs_rsync
@pytest.mark.parametrize("tamper", ["changed", "added", "removed", "marker-edited", "marker-broken"])
def test_deploy_refuses_an_output_changed_after_publish(made_public, copy_of, tmp_path, tamper):
    output = copy_of(made_public)
    if tamper == "changed":
        with open(output / "news" / "index.html", "a", encoding="utf-8") as file:
            file.write("<!-- edited by hand -->")
    elif tamper == "added":
        (output / "drafts").mkdir()
        (output / "drafts" / "index.html").write_text("a draft", encoding="utf-8")
    elif tamper == "removed":
        (output / "404.html").unlink()
    elif tamper == "marker-edited":  # the marker rewritten to match a changed page is caught by the page
        marker = json.loads((output / MARKER).read_text(encoding="utf-8"))
        marker["files"]["index.html"] = "0" * 64
        (output / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    else:
        (output / MARKER).write_text("{not json", encoding="utf-8")
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("the live site", encoding="utf-8")
    before = snapshot(target)
    result = deploy(output, target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "make publish" in result.stderr and "nothing was uploaded" in result.stderr
    assert "Traceback" not in result.stderr
    if tamper in ("changed", "added", "removed"):
        assert f"1 file(s) {tamper}" in result.stderr
    assert snapshot(target) == before


def test_deploy_without_rsync_says_how_to_install_it(made_public, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    target = tmp_path / "www"
    target.mkdir()
    result = subprocess.run([shutil.which("make"), "-s", "deploy", f"OUTPUT={made_public}", f"DEPLOY_TARGET={target}/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PATH": str(empty)})
    assert result.returncode != 0
    assert "No such file or directory" not in result.stderr
    line = bilingual_line(result.stderr)
    for hint in ("apt-get install rsync", "brew install rsync", "WSL", "choco install rsync"):
        assert hint in line
    assert list(target.iterdir()) == []


def test_deploy_without_a_target_or_a_build_explains(tmp_path):
    result = subprocess.run(["make", "-s", "deploy", f"OUTPUT={tmp_path}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "DEPLOY_TARGET" in result.stderr
    result = subprocess.run(["make", "-s", "deploy", f"OUTPUT={tmp_path / 'none'}", f"DEPLOY_TARGET={tmp_path}/www"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "make publish" in result.stderr and "Traceback" not in result.stderr


def test_the_makefile_runs_the_new_commands():
    def dry(target, *extra):
        return subprocess.run(["make", "-n", target, f"BIN={Path(sys.executable).parent}", *extra], cwd=ROOT,
                              capture_output=True, text=True, timeout=60).stdout

    assert "-m newsroom.build html content -s pelicanconf.py -o output" in dry("html")
    assert "-m newsroom.build publish content -s publishconf.py -o output" in dry("publish")
    assert "-m newsroom.deploy" in dry("deploy", "DEPLOY_TARGET=x")
    assert "rm -f output/.publish-complete.json" in dry("devserver")
    assert "-m newsroom.devserver content -s pelicanconf.py -o output -b 127.0.0.1 -p 8000" in dry("devserver")


# ---------------------------------------------------------------------------------- interrupted publish

@needs_rsync
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_publish_changes_nothing_and_deploy_refuses_a_build_that_was_never_published(
        made_public, many_stories, copy_of, tmp_path, how):
    """The report: no complete publish before (an old build without a marker), then
    `make publish`, interrupted, then `make deploy`: refused, nothing changed on the target."""
    output = copy_of(made_public)
    (output / MARKER).unlink()
    (output / "news" / "index.html").write_text("an old build from before", encoding="utf-8")
    before = snapshot(output)
    target = tmp_path / "www"
    shutil.copytree(made_public, target)  # the live site
    (target / MARKER).unlink()
    live = snapshot(target)

    result = interrupted_publish(many_stories, output, how, tmp_path / "cache")
    assert result.returncode == 128 + how, result.stderr[-3000:]
    assert "stopped" in result.stderr
    assert snapshot(output) == before
    assert not list(tmp_path.glob("output.publishing-*")) and not list(tmp_path.glob("output.replaced-*"))
    refused = deploy(output, target)
    assert refused.returncode == 2 and "make publish" in refused.stderr, refused.stdout + refused.stderr
    assert snapshot(target) == live


@needs_rsync
def test_an_interrupted_publish_keeps_the_previous_publish_deployable(made_public, many_stories, copy_of, tmp_path):
    output = copy_of(made_public)
    target = tmp_path / "www"
    target.mkdir()
    assert deploy(output, target).returncode == 0
    before, live = snapshot(output), snapshot(target)

    result = interrupted_publish(many_stories, output, signal.SIGINT, tmp_path / "cache")
    assert result.returncode == 130, result.stderr[-3000:]
    assert snapshot(output) == before
    again = deploy(output, target)
    assert again.returncode == 0, again.stdout + again.stderr
    assert sent(again) == []  # nothing changed on the target
    assert snapshot(target) == live


@needs_rsync
def test_a_killed_publish_leaves_output_untouched_and_its_folder_is_cleaned_next_time(
        made_public, many_stories, copy_of, tmp_path):
    output = copy_of(made_public)
    before = snapshot(output)
    result = interrupted_publish(many_stories, output, signal.SIGKILL, tmp_path / "cache")
    assert result.returncode == -signal.SIGKILL
    assert snapshot(output) == before
    left = list(tmp_path.glob("output.publishing-*"))
    assert len(left) == 1  # nothing could clean up after SIGKILL ...
    target = tmp_path / "www"
    target.mkdir()
    assert deploy(output, target).returncode == 0  # ... but the previous publish is whole
    assert not (target / "synthetic-story-000").exists() and not list(target.rglob("*synthetic*"))
    remove_stale(output, [".git"])  # what the next `make publish` does first
    assert not left[0].exists()


# ---------------------------------------------------------------------------------- faults of the machine

def test_the_content_report_passes_through_unchanged(made_public, copy_of, content_copy):
    """A story without a title: the report of plugins/strict_content, as `pelican` prints it."""
    (content_copy / "news" / "2567").mkdir(parents=True, exist_ok=True)
    (content_copy / "news" / "2567" / "untitled.md").write_text("Date: 2567-01-01\n\nข่าวไม่มีหัวข้อ\n",
                                                                  encoding="utf-8")
    output = copy_of(made_public)
    before = snapshot(output)
    for mode in ("publish", "html"):
        result = run_build_command(mode, content_copy, output)
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Found 1 problem(s) in the content" in result.stderr and "untitled.md" in result.stderr
        assert "[Title]" in result.stderr and "Traceback" not in result.stderr
        if mode == "publish":
            assert snapshot(output) == before  # nothing half-published
            assert not list(output.parent.glob("output.publishing-*"))


def test_no_content_folder(tmp_path):
    for mode in ("html", "publish"):
        result = run_build_command(mode, tmp_path / "content", tmp_path / "output")
        assert result.returncode == 1, result.stderr
        line = bilingual_line(result.stderr)
        assert str(tmp_path / "content") in line and "git checkout -- content" in line
        assert not (tmp_path / "output").exists()


def test_a_missing_font_names_the_font_and_the_fix(made_public, copy_of, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    font = theme / "static" / "fonts" / "sarabun-latin-700-normal.woff2"
    font.unlink()
    output = copy_of(made_public)
    before = snapshot(output)
    for mode in ("publish", "html"):
        result = run_build_command(mode, SITE_CONTENT, output, "-t", str(theme))
        assert result.returncode == 1, result.stderr[-3000:]
        line = bilingual_line(result.stderr)
        assert str(font) in line and "git checkout -- theme/static/fonts" in line
        if mode == "publish":
            assert snapshot(output) == before


@needs_mount
def test_a_read_only_file_system(made_public, tmp_path):
    disk = tmp_path / "disk"
    with tmpfs(disk, "size=20m"):
        shutil.copytree(made_public, disk / "output")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = snapshot(disk / "output")
        for mode in ("html", "publish"):
            result = run_build_command(mode, SITE_CONTENT, disk / "output", "--cache-path", str(tmp_path / "c"))
            assert result.returncode == 1, result.stderr[-3000:]
            line = bilingual_line(result.stderr)
            assert str(disk) in line and "read-only file system" in line
        assert snapshot(disk / "output") == before


@pytest.mark.slow
def test_a_read_only_output_folder_and_a_read_only_file_inside(shared_tmp):
    user = as_other_user()
    if user is None:
        pytest.skip("root here cannot run a command as another user (no setpriv)")
    shutil.copytree(SITE_CONTENT, shared_tmp / "content")
    for folder in ("output", "cache"):
        (shared_tmp / folder).mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(shared_tmp)], check=True)

    def build():
        return subprocess.run([*user, sys.executable, "-m", "newsroom.build", "html", str(shared_tmp / "content"),
                               "-o", str(shared_tmp / "output"), "--cache-path", str(shared_tmp / "cache"),
                               "-t", str(ROOT / "theme")],
                              cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "HOME": str(shared_tmp), "PYTHONDONTWRITEBYTECODE": "1"})

    (shared_tmp / "output").chmod(0o555)  # chmod 555 output
    result = build()
    assert result.returncode == 1, result.stderr[-3000:]
    line = bilingual_line(result.stderr)
    assert f"no permission to write {shared_tmp / 'output'}:" in line and "chmod -R u+w" in line

    (shared_tmp / "output").chmod(0o755)
    page = shared_tmp / "output" / "index.html"
    page.write_text("kept", encoding="utf-8")
    page.chmod(0o444)  # a file inside that may not be written
    if os.geteuid() == 0:
        os.chown(page, 0, 0)
    result = build()
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"no permission to write {page}:" in bilingual_line(result.stderr)
    assert page.read_text(encoding="utf-8") == "kept"
    assert not list((shared_tmp / "output").rglob("*.partial"))


@needs_mount
def test_a_full_disk(made_public, tmp_path):
    disk = tmp_path / "disk"
    with tmpfs(disk, "size=400k"):
        for mode in ("html", "publish"):
            result = run_build_command(mode, SITE_CONTENT, disk / "output", "--cache-path", str(tmp_path / "c"))
            assert result.returncode == 1, result.stderr[-3000:]
            line = bilingual_line(result.stderr)
            assert "the disk is full" in line and str(disk) in line and "df -h" in line
            assert not list(disk.rglob("*.partial"))  # no half-written page left behind
            if mode == "publish":
                assert not list(disk.glob("output.publishing-*"))


@pytest.mark.slow
def test_a_full_disk_simulated_in_the_writer(tmp_path):
    """Where tmpfs cannot be mounted: the writer raises ENOSPC on the 20th page."""
    script = f"""
import errno, sys
sys.path.insert(0, {str(ROOT / 'plugins')!r})
from safe_output import safe_output
calls = []
original = safe_output.AtomicTextFile.write
def write(self, text):
    calls.append(1)
    if len(calls) == 20:
        original(self, text[:100])
        raise OSError(errno.ENOSPC, "No space left on device")
    return original(self, text)
safe_output.AtomicTextFile.write = write
from newsroom.build import main
sys.exit(main(sys.argv[1:]))
"""
    output = tmp_path / "output"
    result = subprocess.run([sys.executable, "-c", script, "html", str(SITE_CONTENT), "-o", str(output),
                             "-t", str(ROOT / "theme"), "--cache-path", str(tmp_path / "cache")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr[-3000:]
    line = bilingual_line(result.stderr)
    assert "the disk is full" in line and f"writing {output}" in line
    assert not list(output.rglob("*.partial"))


def test_a_full_disk_in_a_worker_process_is_raised_once_in_the_main_one(capfd):
    """plugins/parallel_articles: a worker's OSError reaches the main process, no traceback."""
    from parallel_articles import parallel_articles

    class Generator:
        def __init__(self, articles):
            self.translations, self.articles = [], list(articles)
            self.hidden_translations, self.hidden_articles = [], []

    def generate_articles(generator, write):
        for article in generator.articles:
            if article == 5:  # in the second share of two (1, 3, 5): a worker process
                raise OSError(errno.ENOSPC, "No space left on device", "/site/news/5/index.html")

    with pytest.raises(OSError) as raised:
        parallel_articles.generate_in_parallel(Generator(range(6)), generate_articles, 2, None)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, "/site/news/5/index.html")
    assert "Traceback" not in capfd.readouterr().err


# ---------------------------------------------------------------------------------- safe_output

OPEN_W_SHA256_4_12_0 = "69700ea0b4668663b0886011eee71e8b4ea9debd376fe2a2fe322c90ec5aee6d"


def test_pelicans_writer_is_still_the_one_safe_output_patches():
    """plugins/safe_output replaces `open` in pelican.writers, the one name Writer._open_w
    opens files with (Pelican 4.12.0). If this fails, Pelican changed: read the new _open_w,
    check the patch still makes every write atomic, then update the hash (docs/architecture.md)."""
    import pelican.writers
    from pelican.writers import Writer

    source = inspect.getsource(Writer._open_w)
    assert hashlib.sha256(source.encode()).hexdigest() == OPEN_W_SHA256_4_12_0, \
        "Pelican's Writer._open_w changed: re-check plugins/safe_output (docs/architecture.md)\n" + source
    assert str(inspect.signature(Writer._open_w)) == "(self, filename, encoding, override=False)"
    assert 'return open(filename, "w", encoding=encoding)' in source
    module = inspect.getsource(pelican.writers)
    assert module.count("open(") == 1  # no other open() in the module that the patch would change


def test_after_the_patch_pelicans_writer_writes_a_page_whole_when_it_is_done(tmp_path):
    import pelican.writers
    from pelican.writers import Writer

    from safe_output import safe_output

    safe_output.install()
    assert pelican.writers.open is safe_output.atomic_open
    writer = Writer(str(tmp_path), settings={})
    target = tmp_path / "page.html"
    target.write_text("the previous page", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with writer._open_w(str(target), "utf-8", override=True) as file:
            file.write("half of the new pa")
            assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # kept in memory so far
            assert target.read_text(encoding="utf-8") == "the previous page"
            raise RuntimeError("the build stops here")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    assert target.read_text(encoding="utf-8") == "the previous page"

    new = tmp_path / "new.xml"
    with pytest.raises(OSError) as raised:
        with writer._open_w(str(new), "utf-8") as file:
            file.write("<feed>")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert raised.value.filename == str(new)  # the page, not the temporary file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]

    with Writer(str(tmp_path), settings={})._open_w(str(new), "utf-8") as file:  # a new build
        file.write("<feed>ไทย</feed>")
    assert new.read_text(encoding="utf-8") == "<feed>ไทย</feed>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xml", "page.html"]


def test_a_temporary_file_left_by_a_killed_build_or_a_link_in_its_place_is_replaced_not_followed(tmp_path):
    """The temporary name is the page's and the process's (`.<name>.<pid>.partial`): one left by
    a killed build is removed first, and a symbolic link planted there is removed, never written
    through."""
    from safe_output import safe_output

    target, outside = tmp_path / "page.html", tmp_path / "outside.txt"
    outside.write_text("not ours", encoding="utf-8")
    leftover = tmp_path / f".page.html.{os.getpid()}.partial"
    leftover.symlink_to(outside)
    with safe_output.AtomicTextFile(target, encoding="utf-8") as file:
        file.write("หน้าใหม่")
    assert target.read_text(encoding="utf-8") == "หน้าใหม่" and not target.is_symlink()
    assert outside.read_text(encoding="utf-8") == "not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.txt", "page.html"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()


def test_a_page_with_the_same_bytes_is_not_written_again_and_a_changed_one_is_replaced(tmp_path):
    from pelican.writers import Writer

    from safe_output import safe_output

    safe_output.install()
    page = tmp_path / "page.html"
    page.write_text("<p>ข่าว</p>", encoding="utf-8")
    page.chmod(0o640)
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    before = page.stat()
    with Writer(str(tmp_path), settings={})._open_w(str(page), "utf-8") as file:
        file.write("<p>ข่าว</p>")  # an everyday rebuild of an unchanged story
    unchanged = page.stat()
    assert (unchanged.st_ino, unchanged.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not touched
    with Writer(str(tmp_path), settings={})._open_w(str(page), "utf-8") as file:
        file.write("<p>ข่าวใหม่</p>")
    changed = page.stat()
    assert page.read_text(encoding="utf-8") == "<p>ข่าวใหม่</p>"
    assert changed.st_ino != before.st_ino and stat.S_IMODE(changed.st_mode) == 0o640  # replaced, mode kept
    with Writer(str(tmp_path), settings={})._open_w(str(page), "utf-8") as file:
        file.write("<p>ข่าวเก่า</p>")  # same size, other bytes: compared, not only measured
    assert page.read_text(encoding="utf-8") == "<p>ข่าวเก่า</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_page_a_worker_rendered_is_written_as_its_bytes_and_the_same_as_its_text(tmp_path, monkeypatch):
    """A worker hands its pages back as UTF-8 bytes (buildcore.rendering.Encoded): Pelican's
    writer, through safe_output, writes them as they are: the same file as the page's text gives,
    unchanged pages left alone; a file that translates newlines or another encoding decodes
    them first; without safe_output the writer gets the text."""
    import pelican.writers
    from pelican.writers import Writer

    from buildcore.rendering import Encoded, Rendered, takes_encoded
    from safe_output import safe_output

    text = "<p>ข่าว\nวันนี้</p>\n"
    safe_output.install()
    assert takes_encoded()
    Writer(str(tmp_path), settings={"RELATIVE_URLS": False}).write_file(
        "from-text.html", Rendered([text]), {})
    Writer(str(tmp_path), settings={"RELATIVE_URLS": False}).write_file(
        "from-bytes.html", Rendered([Encoded(text.encode())]), {})
    assert (tmp_path / "from-bytes.html").read_bytes() == (tmp_path / "from-text.html").read_bytes() == text.encode()
    before = (tmp_path / "from-bytes.html").stat()
    with safe_output.AtomicTextFile(tmp_path / "from-bytes.html", encoding="utf-8") as file:
        file.write(Encoded(text.encode()))  # an everyday rebuild: compared, left alone
    assert (tmp_path / "from-bytes.html").stat().st_ino == before.st_ino
    with safe_output.AtomicTextFile(tmp_path / "crlf.html", encoding="utf-8", newline="\r\n") as file:
        file.write(Encoded(text.encode()))
    assert (tmp_path / "crlf.html").read_bytes() == text.replace("\n", "\r\n").encode()
    with safe_output.AtomicTextFile(tmp_path / "tis.html", encoding="tis-620") as file:
        file.write("<h1>")
        file.write(Encoded(text.encode()))
    assert (tmp_path / "tis.html").read_bytes() == ("<h1>" + text).encode("tis-620")
    with monkeypatch.context() as patch:  # Pelican's own open: text only
        patch.delattr(pelican.writers, "open")
        assert not takes_encoded()
        assert Rendered([Encoded(text.encode())]).render() == text and type(Rendered([Encoded(b"x")]).render()) is str


def test_a_feed_that_fails_midway_leaves_no_file(tmp_path, monkeypatch):
    from feedgenerator import Atom1Feed
    from pelican.writers import Writer

    from safe_output import safe_output

    safe_output.install()

    def broken(self, outfile, encoding):
        outfile.write("<?xml version='1.0'?><feed>")
        raise ValueError("an article the feed cannot take")

    monkeypatch.setattr(Atom1Feed, "write", broken)
    writer = Writer(str(tmp_path), settings={"FEED_MAX_ITEMS": 10})
    with pytest.raises(ValueError):
        writer.write_feed([], {"SITENAME": "x", "SITEURL": "https://x.example", "FEED_DOMAIN": "https://x.example"},
                          "feeds/all.atom.xml")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_no_thread_of_a_build_that_romanised_a_title_takes_the_held_signals():
    """numpy and onnxruntime start native threads: they must not take SIGINT/SIGTERM, or
    holding them in the main thread (Blocked) would hold nothing."""
    from thainews import parallel, slugs

    slugs.slugify_thai("อาสาสมัครพัฒนาชุมชน")  # the model loaded, its threads started
    main = str(threading.get_native_id())
    held = sum(1 << (number - 1) for number in parallel.HELD_SIGNALS)
    others = [task for task in os.listdir("/proc/self/task") if task != main]
    for task in others:
        blocked = next(int(line.split()[1], 16) for line in Path(f"/proc/self/task/{task}/status").read_text().splitlines()
                       if line.startswith("SigBlk:"))
        assert blocked & held == held, f"thread {task} can take SIGINT or SIGTERM"
    test_signals_wait_while_output_is_swapped()  # and so they wait, in this very process
