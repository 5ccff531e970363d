"""`make html` and `make publish`: run Pelican so that a failed build never costs the site.

    python -m newsroom.build html    [content] [-o output] [any other pelican option]
    python -m newsroom.build publish [content] [-o output] [any other pelican option]

`html` (the preview, pelicanconf.py) builds into output/ as `pelican` does, but first removes
the publish marker: a preview (drafts, local links) can never be deployed.

`publish` (publishconf.py) builds into a new folder next to output/ (`output.publishing-…/`,
the same disk), adds the hosted editor in admin/ when DESK_HOSTED asks (newsroom/desk_site.py),
writes the marker `.publish-complete.json` there (the settings file, SITEURL
and the sha256 of every file, sorted, no time: the same site gives the same marker), and only
then swaps the new folder in for output/. A build that fails or is interrupted (Ctrl-C,
SIGTERM) deletes its folder and leaves output/ exactly as it was; a folder left by a killed
build is deleted by the next publish. `make deploy` (newsroom/deploy.py) uploads only an
output/ that matches its marker.

Faults of the machine (no content/ folder, an output/ that is read-only or full) end in one
line, Thai then English, naming the path and the fix, exit 1. The content report of
plugins/strict_content (SystemExit(1)) passes through as it is.
"""

import errno
import hashlib
import json
import logging
import os
import secrets
import shutil
import signal
import stat
import sys
from pathlib import Path

from newsroom import ROOT  # noqa: F401 - puts plugins/ on sys.path, as for every officer's command
from thainews import parallel

MARKER = ".publish-complete.json"
STAGING = ".publishing-"  # output.publishing-<pid>-<random>/: a publish being built
REPLACED = ".replaced-"  # output.replaced-<pid>-<random>/: the previous output/, being deleted
SETTINGS = {"html": "pelicanconf.py", "publish": "publishconf.py"}

logger = logging.getLogger("newsroom.build")


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM: stop, clean up, leave output/ as it was."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Refused(Exception):
    """A fault of the machine or of the command, with its one bilingual line."""


# ---------------------------------------------------------------------------------- the marker

def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(folder: Path, retained=()) -> dict[str, str]:
    """Every file under `folder` (relative POSIX path -> sha256), except the marker and the
    top-level entries Pelican keeps (OUTPUT_RETENTION, e.g. .git). A symbolic link is listed by
    its target, anything else that is not a file as "special": rsync would upload it too."""
    found = {}
    for current, folders, files in os.walk(folder):
        here = Path(current)
        top = here == folder
        for name in sorted(folders + files):
            if top and (name in retained or name == MARKER):
                if name in folders:
                    folders.remove(name)
                continue
            path = here / name
            key = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[key] = "symlink:" + os.readlink(path)
            elif stat.S_ISREG(mode):
                found[key] = file_digest(path)
            elif not stat.S_ISDIR(mode):
                found[key] = "special"
    return dict(sorted(found.items()))


def marker_text(folder: Path, settings_file: str, settings: dict) -> str:
    retained = sorted(settings.get("OUTPUT_RETENTION") or [])
    data = {
        "about": "a complete `make publish` build; `make deploy` uploads this folder only if every "
                 "file matches this list (newsroom/build.py)",
        "settings": Path(settings_file).name,
        "siteurl": settings.get("SITEURL", ""),
        "retained": retained,
        "files": manifest(folder, retained),
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------- messages

def shown(path) -> str:
    """A path as the officer typed it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def fault_line(error: OSError, fallback: Path, command: str = "make html") -> str:
    """One line, Thai then English, for an OSError of the machine: the path and the fix."""
    path = shown(error.filename or fallback)
    code = error.errno
    if code == errno.EROFS:
        return (f"เขียน {path} ไม่ได้: ดิสก์นี้เปิดให้อ่านอย่างเดียว ให้ mount ใหม่แบบเขียนได้ หรือสร้างเว็บไว้ที่อื่น "
                f"เช่น {command} OUTPUT=/tmp/site / cannot write {path}: it is on a read-only file system; "
                f"remount it read-write or build elsewhere, e.g. {command} OUTPUT=/tmp/site")
    if code in (errno.EACCES, errno.EPERM):
        return (f"ไม่มีสิทธิ์เขียน {path}: ให้สิทธิ์เขียนก่อน (chmod -R u+w {shown(fallback)} หรือ "
                f"sudo chown -R $USER {shown(fallback)}) หรือสร้างเว็บไว้ที่อื่น เช่น {command} OUTPUT=/tmp/site / "
                f"no permission to write {path}: make it writable (chmod -R u+w {shown(fallback)}, or "
                f"sudo chown -R $USER {shown(fallback)}) or build elsewhere, e.g. {command} OUTPUT=/tmp/site")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (f"ดิสก์เต็ม เขียน {path} ไม่ได้: ลบไฟล์ที่ไม่ใช้ให้มีที่ว่าง (ดูด้วย df -h) แล้วสั่งสร้างใหม่ / "
                f"the disk is full (or your quota is used up) writing {path}: free some space "
                f"(df -h shows how much is left), then build again")
    return (f"ใช้ {path} ไม่ได้ ({error.strerror or error}): ตรวจว่าโฟลเดอร์นี้มีอยู่และเขียนได้ แล้วสั่งสร้างใหม่ / "
            f"cannot use {path} ({error.strerror or error}): check that the folder exists and is writable, "
            f"then build again")


def missing_content_line(path: Path) -> str:
    return (f"ไม่พบโฟลเดอร์เนื้อหา {shown(path)}: สั่ง make ในโฟลเดอร์ของโครงการ (ที่มี Makefile) "
            f"หรือเอาคืนด้วย git checkout -- content / no content folder {shown(path)}: run make in the "
            f"project's folder (where the Makefile is), or restore it with git checkout -- content")


def missing_settings_line(path: Path) -> str:
    return (f"ไม่พบไฟล์ตั้งค่า {shown(path)}: สั่ง make ในโฟลเดอร์ของโครงการ (ที่มี Makefile) / "
            f"no settings file {shown(path)}: run make in the project's folder (where the Makefile is)")


# ---------------------------------------------------------------------------------- building

def pelican_arguments(mode: str, argv: list[str]):
    """Pelican's own command line, with this command's defaults."""
    from pelican import parse_arguments

    args = parse_arguments(argv)
    if args.autoreload or args.listen:
        raise Refused("make html และ make publish ไม่เปิดเซิร์ฟเวอร์: ใช้ make devserver / "
                      "this command does not serve: use make devserver")
    args.path = args.path or "content"
    args.settings = args.settings or SETTINGS[mode]
    args.output = args.output or "output"
    args.fatal = args.fatal or "errors"
    return args


def run_pelican(args) -> dict:
    """What `pelican` does for a plain build, in this process (pelican.main without its
    exception handler, so that the faults below get one line instead of a traceback)."""
    from pelican import LOG_HANDLERS, get_instance
    from pelican.log import init as init_logging

    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican", handler=LOG_HANDLERS[args.log_handler],
                 logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level))
    instance, settings = get_instance(args)
    # No "Generating..." spinner (pelican.main has one): its thread takes rich's locks a dozen
    # times a second, and a worker forked while it holds one hangs at its first log line, and the
    # build with it (seen in the interrupted-publish tests under load).
    instance.run()
    return settings


def probe_writable(folder: Path) -> None:
    """Raise the machine's own error (EROFS, EACCES, ENOSPC) now rather than mid-build."""
    if not folder.is_dir():
        return
    probe = folder / f".write-test-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with open(probe, "wb"):
            pass
        probe.unlink()
    except OSError as error:
        error.filename = str(folder)  # the folder, not our probe, is what the officer knows
        raise


def build_preview(args) -> None:
    output = Path(args.output).absolute()
    probe_writable(output)
    (output / MARKER).unlink(missing_ok=True)  # before anything is written: a preview is never deployable
    if output.is_dir():  # what a killed build was writing (plugins/safe_output): never a finished page
        for partial in output.rglob(".*.partial"):
            partial.unlink(missing_ok=True)
    run_pelican(args)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_tree(path: Path) -> None:
    """Delete a folder of ours, even one made read-only: it is being thrown away. What cannot be
    deleted now (a worker still writing into it) is left for the next publish to delete."""
    def retry(function, failed, _info):
        parent = os.path.dirname(failed)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        function(failed)

    if path.is_dir() and not path.is_symlink():
        try:
            shutil.rmtree(path, onerror=retry)
        except OSError as error:
            logger.warning("could not delete %s (%s): the next `make publish` deletes it", path, error)


def remove_stale(output: Path, retained) -> None:
    """Folders left next to output/ by a publish that was killed (SIGKILL, power cut)."""
    for prefix in (STAGING, REPLACED):
        for folder in output.parent.glob(f"{output.name}{prefix}*"):
            owner = folder.name[len(output.name) + len(prefix):].split("-")[0]
            if owner.isdigit() and int(owner) != os.getpid() and _process_alive(int(owner)):
                continue  # another publish is running now
            kept = [name for name in retained if (folder / name).exists()]
            if kept:
                print(f"ไม่ลบ {shown(folder)} เพราะมี {', '.join(kept)} อยู่ข้างใน: ตรวจดูแล้วลบเอง / "
                      f"not deleting {shown(folder)}: it holds {', '.join(kept)}; look inside, then delete it",
                      file=sys.stderr)
                continue
            _remove_tree(folder)


class Blocked:
    """SIGINT and SIGTERM wait (they are delivered afterwards) while output/ is swapped."""

    SIGNALS = parallel.HELD_SIGNALS  # no other thread takes them (parallel.threads_without_signals)

    def __enter__(self):
        self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, self.SIGNALS)

    def __exit__(self, *exc):
        signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


def swap_in(staging: Path, output: Path, retained) -> Path | None:
    """Put `staging` where output/ is (call it with signals Blocked). Returns the previous
    output/, moved aside, to delete; on an error output/ is put back as it was."""
    if not (output.exists() or output.is_symlink()):
        os.rename(staging, output)
        return None
    if not output.is_dir() or output.is_symlink():
        raise Refused(f"{shown(output)} ไม่ใช่โฟลเดอร์: ย้ายหรือลบออกก่อน / {shown(output)} is not a folder: "
                      f"move or delete it first")
    aside = output.with_name(f"{output.name}{REPLACED}{os.getpid()}-{secrets.token_hex(4)}")
    moved = []
    try:
        for name in retained:  # e.g. output/.git, kept as Pelican's OUTPUT_RETENTION keeps it
            if (output / name).exists() and not (staging / name).exists():
                os.rename(output / name, staging / name)
                moved.append(name)
        os.rename(output, aside)
    except BaseException:
        for name in moved:
            os.rename(staging / name, output / name)
        raise
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(aside, output)
        for name in moved:
            os.rename(staging / name, output / name)
        raise
    return aside


def publish(args) -> None:
    from pelican.settings import read_settings

    from newsroom import desk_site

    output = Path(args.output).absolute()
    configured = read_settings(args.settings)
    retained = configured.get("OUTPUT_RETENTION") or []
    try:  # the hosted editor's settings, checked before the build: None unless DESK_HOSTED asks
        desk = desk_site.check_hosted(configured)
        if desk is not None:
            desk_site.repository_path(Path(args.path))
    except desk_site.HostedDeskError as wrong:
        raise Refused(str(wrong)) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    probe_writable(output)  # the previous site is deleted at the end: that needs output/ writable
    remove_stale(output, retained)
    staging = output.with_name(f"{output.name}{STAGING}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        staging.mkdir(mode=0o777)  # as os.makedirs makes output/: the host's web server must read it
    except OSError as error:
        error.filename = str(output.parent)
        raise
    aside = swapped = None
    try:
        args.output = str(staging)
        settings = run_pelican(args)
        if desk is not None:  # inside the marker: make deploy uploads the editor as it was built
            try:
                desk_site.write_admin(staging, settings, desk, desk_site.repository_path(Path(args.path)))
            except desk_site.HostedDeskError as wrong:
                raise Refused(str(wrong)) from None
        (staging / MARKER).write_text(marker_text(staging, args.settings, settings), encoding="utf-8")
        with Blocked():  # a Ctrl-C now is delivered when the `with` ends, after the swap
            aside = swap_in(staging, output, settings.get("OUTPUT_RETENTION") or [])
            swapped = True
    except KeyboardInterrupt:
        if not swapped:
            _discard(staging)
            raise
        print(f"เว็บชุดใหม่อยู่ใน {shown(output)} แล้ว / the new site was already in {shown(output)}", file=sys.stderr)
    except BaseException:
        _discard(staging)
        raise
    if aside is not None:
        try:
            _remove_tree(aside)
        except KeyboardInterrupt:
            pass  # the new site is in place; the next publish deletes the old one


def _discard(staging: Path) -> None:
    if os.getpid() == _OWNER:  # never in a worker process forked during the build
        with Blocked():
            _remove_tree(staging)


_OWNER = os.getpid()


def _stop(signum, _frame):
    """SIGINT, SIGTERM: in this command's process, stop the build and clean up. A process forked
    during the build (a pool worker) gets the defaults back (`_default_signals`); should a signal
    reach one before that, it does there what it does in any Python process."""
    if os.getpid() != _OWNER:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Interrupted(signum)


def _default_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SETTINGS:
        print("ใช้ / usage: python -m newsroom.build html|publish [content] [-o output] [pelican options]",
              file=sys.stderr)
        return 2
    mode, rest = argv[0], argv[1:]
    global _OWNER
    _OWNER = os.getpid()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # A forked worker gets Python's defaults back at once: with a Python-level SIGTERM handler a
    # worker waiting on its pool's queue may miss the pool's SIGTERM (the C handler only sets a
    # flag, and a signal landing just before the wait is never looked at), and the build hangs
    # in Pool.terminate (seen in the interrupted-publish tests under load).
    os.register_at_fork(after_in_child=_default_signals)
    output = Path("output")
    try:
        args = pelican_arguments(mode, rest)
        output = Path(args.output).absolute()
        if not Path(args.path).is_dir():
            raise Refused(missing_content_line(Path(args.path)))
        if not Path(args.settings).is_file():
            raise Refused(missing_settings_line(Path(args.settings)))
        # What plugins/strict_content reads to tell a build from the dev server.
        sys.argv = ["pelican", *rest]
        if mode == "publish":
            publish(args)
        else:
            build_preview(args)
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    except OSError as error:
        print(fault_line(error, output, f"make {mode}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt as stopped:
        if mode == "publish":
            print(f"หยุดแล้ว: {shown(output)} ยังเป็นเว็บชุดเดิม / stopped: {shown(output)} is as it was",
                  file=sys.stderr)
        else:
            print(f"หยุดแล้ว: {shown(output)} อาจสร้างไม่ครบ / stopped: {shown(output)} may be incomplete",
                  file=sys.stderr)
        return 128 + getattr(stopped, "signum", signal.SIGINT)  # as the shell reports a signal: 130, 143
    return 0


if __name__ == "__main__":
    sys.exit(main())
