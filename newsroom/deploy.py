"""`make deploy`: upload output/ with rsync, only if it is a complete `make publish` build.

    python -m newsroom.deploy OUTPUT DEPLOY_TARGET

Refuses (exit 2, nothing uploaded) when DEPLOY_TARGET is not set, when rsync is not installed
(and says how to install it), and when OUTPUT is not exactly what `make publish` left there:
no marker (`.publish-complete.json`, written only by a publish that finished: a preview
`make html`, `make devserver` or an interrupted publish has none), or a file changed, added
or removed since. Then runs rsync as before (`-rlt --checksum --delete`), without the marker
and the folders Pelican keeps (OUTPUT_RETENTION, e.g. .git).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from newsroom.build import MARKER, manifest, shown

RSYNC_FLAGS = ["-rlt", "--checksum", "--delete", "--human-readable", "--itemize-changes"]
REFUSED = 2
SHOW_AT_MOST = 10


class Refused(Exception):
    pass


def no_rsync_line() -> str:
    return ("ไม่พบโปรแกรม rsync ที่ make deploy ใช้อัปโหลด: ติดตั้งก่อน — Debian/Ubuntu: sudo apt-get install rsync, "
            "macOS: brew install rsync, Windows: ใช้ WSL (แล้ว sudo apt-get install rsync) หรือ choco install rsync "
            "(cwRsync) / rsync is not installed (make deploy uploads with it): install it first — Debian/Ubuntu: "
            "sudo apt-get install rsync, macOS: brew install rsync, Windows: use WSL (then sudo apt-get install "
            "rsync) or choco install rsync (cwRsync)")


def not_published_line(output: Path, why_th: str, why_en: str) -> str:
    return (f"ไม่อัปโหลด {shown(output)}: {why_th} สั่ง make publish ก่อนแล้วค่อย make deploy (ไม่มีไฟล์ใดถูกส่ง) / "
            f"not uploading {shown(output)}: {why_en}; run make publish, then make deploy (nothing was uploaded)")


def listed(paths: list[str]) -> str:
    more = f" (+{len(paths) - SHOW_AT_MOST})" if len(paths) > SHOW_AT_MOST else ""
    return ", ".join(paths[:SHOW_AT_MOST]) + more


def verified(output: Path) -> dict:
    """The marker of `output`, if every file matches it; else Refused with the reason."""
    if not (output / "index.html").is_file() and not (output / MARKER).is_file():
        raise Refused(not_published_line(output, "ยังไม่มีเว็บไซต์ในโฟลเดอร์นี้", "nothing is built there"))
    try:
        marker = json.loads((output / MARKER).read_text(encoding="utf-8"))
        expected, retained = marker["files"], marker.get("retained", [])
        if not isinstance(expected, dict):
            raise ValueError(expected)
    except FileNotFoundError:
        raise Refused(not_published_line(
            output, "ไม่ใช่เว็บที่ make publish สร้างเสร็จสมบูรณ์ "
                    "(เป็นตัวอย่างจาก make html หรือ make devserver หรือ publish ที่ถูกขัดจังหวะ)",
            "it is not a complete make publish build (a make html or devserver preview, or an interrupted publish)",
        )) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise Refused(not_published_line(output, f"อ่าน {MARKER} ไม่ได้", f"cannot read its {MARKER}")) from None
    found = manifest(output, retained)
    changed = sorted(path for path in expected.keys() & found.keys() if expected[path] != found[path])
    added = sorted(found.keys() - expected.keys())
    removed = sorted(expected.keys() - found.keys())
    if changed or added or removed:
        th, en = [], []
        if changed:
            th.append(f"ไฟล์ถูกแก้ {len(changed)} ไฟล์ ({listed(changed)})")
            en.append(f"{len(changed)} file(s) changed ({listed(changed)})")
        if added:
            th.append(f"มีไฟล์เพิ่ม {len(added)} ไฟล์ ({listed(added)})")
            en.append(f"{len(added)} file(s) added ({listed(added)})")
        if removed:
            th.append(f"ไฟล์หาย {len(removed)} ไฟล์ ({listed(removed)})")
            en.append(f"{len(removed)} file(s) removed ({listed(removed)})")
        raise Refused(not_published_line(output, "มีการเปลี่ยนแปลงหลัง make publish: " + ", ".join(th) + ";",
                                         "it changed after make publish: " + ", ".join(en)))
    return marker


def rsync_command(output: Path, target: str, marker: dict) -> list[str]:
    excluded = [f"--exclude=/{name}" for name in (MARKER, *marker.get("retained", []))]
    return ["rsync", *RSYNC_FLAGS, *excluded, f"{output}/", target]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    output = Path(argv[0]) if argv else Path("output")
    target = argv[1] if len(argv) > 1 else ""
    try:
        if not target:
            raise Refused("ตั้ง DEPLOY_TARGET ก่อน / set DEPLOY_TARGET: "
                          "make deploy DEPLOY_TARGET=user@host:/var/www/news")
        if shutil.which("rsync") is None:
            raise Refused(no_rsync_line())
        marker = verified(output)
    except Refused as refused:
        print(refused, file=sys.stderr)
        return REFUSED
    command = rsync_command(output, target, marker)
    print(" ".join(command), flush=True)
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
