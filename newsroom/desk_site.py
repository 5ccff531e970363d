"""The editor's files, their Content-Security-Policy, and the hosted editor (issue 17, point 7).

`make desk` serves the editor from desk/admin/ (our files) and desk/node_modules/decap-cms/dist/
(Decap's prebuilt bundle, installed from the committed lock) on this machine (newsroom/desk.py).

`make publish` writes the same editor into output/admin/ **only when a setting asks for it**:
`DESK_HOSTED` (publishconf.py, from the environment) is `github` or `gitlab`. Then Decap talks to
the repository's host instead of our local API: each save is a commit on the main branch, and the
CI workflow (.github/workflows/publish.yml, .gitlab-ci.yml) tests, builds and deploys the site.

* `github`: Decap's GitHub backend. GitHub has no sign-in a page alone can finish (no PKCE for
  Decap's GitHub backend: its token exchange needs the OAuth app's secret), so the office runs a
  small OAuth proxy (`DESK_AUTH_URL`, e.g. a Cloudflare Worker, or Netlify's `api.netlify.com`).
* `gitlab`: Decap's GitLab backend with `auth_type: pkce`: the page signs in by itself with a
  GitLab OAuth application's ID (`DESK_APP_ID`); no server of ours or anyone else's.

The page's policy adds only the hosts the backend talks to (`hosted_policy`); the public site's
policy is unchanged. Every wrong or missing setting is one line, Thai then English, naming the
setting and the fix, before the site is built (`check_hosted`).
"""

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from newsroom import ROOT, desk_config
from thainews.csp import meta_policy

ADMIN = ROOT / "desk" / "admin"
DIST = ROOT / "desk" / "node_modules" / "decap-cms" / "dist"
# The editor's policy (docs/design/officers-desk.md §1): 'unsafe-eval' because Decap compiles its
# config schema with `new Function` (ajv), inline styles because of emotion, blob: because
# uploads are read back with fetch(blob:). Still nothing from another host, no inline script.
_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' blob: data:{images}; connect-src 'self' blob: data:{connect}; font-src 'self'; "
           "frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-ancestors 'none'")
ADMIN_POLICY = _POLICY.format(images="", connect="")
# What output/admin/ holds besides desk/admin/: the bundle, the chunks it loads lazily by its own
# URL (CodeMirror modes) and its two WebAssembly files; not the source maps, not cms.js (the
# same bundle under another name).
BUNDLE = re.compile(r"(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)")
HOSTED = ("github", "gitlab")
GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"
GITLAB = "https://gitlab.com"
_REPO = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+")
_BRANCH = re.compile(r"[A-Za-z0-9_./-]+")


class HostedDeskError(Exception):
    """A setting of the hosted editor that is missing or wrong: one bilingual line."""


def _wrong(setting: str, th: str, en: str) -> HostedDeskError:
    return HostedDeskError(f"ตั้งค่าโต๊ะข่าวบนเว็บไม่ถูกต้อง: {setting} {th} (ดู README หัวข้อ \"เผยแพร่โดยไม่ใช้เทอร์มินัล\") / "
                           f"the hosted desk's setting {setting} {en} (see README, \"Publishing without a terminal\")")


def _https_origin(setting: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.query or parts.fragment:
        raise _wrong(setting, f"ต้องเป็นที่อยู่ https:// เช่น https://auth.example.org (ได้ {value!r})",
                     f"must be an https:// address such as https://auth.example.org (got {value!r})")
    return value.rstrip("/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def hosted_backend(settings: dict) -> dict | None:
    """Decap's `backend` for the hosted editor, from the settings; None when `DESK_HOSTED` is off."""
    kind = str(settings.get("DESK_HOSTED") or "").strip().lower()
    if not kind:
        return None
    if kind not in HOSTED:
        raise _wrong("DESK_HOSTED", f"ต้องเป็น github หรือ gitlab หรือเว้นว่าง (ได้ {kind!r})",
                     f"must be github, gitlab or empty (got {kind!r})")
    repo = str(settings.get("DESK_REPO") or "").strip()
    if not _REPO.fullmatch(repo):
        raise _wrong("DESK_REPO", f"ต้องเป็นชื่อคลังแบบ เจ้าของ/ชื่อ เช่น moral-center/news (ได้ {repo!r}; "
                     "บน GitHub Actions และ GitLab CI ตั้งให้เอง)",
                     f"must be the repository as owner/name, e.g. moral-center/news (got {repo!r}; "
                     "GitHub Actions and GitLab CI set it)")
    branch = str(settings.get("DESK_BRANCH") or "main").strip()
    if not _BRANCH.fullmatch(branch) or ".." in branch:
        raise _wrong("DESK_BRANCH", f"ไม่ใช่ชื่อกิ่ง (branch) ที่ใช้ได้ (ได้ {branch!r})", f"is not a branch name (got {branch!r})")
    if kind == "github":
        auth = str(settings.get("DESK_AUTH_URL") or "").strip()
        if not auth:
            raise _wrong("DESK_AUTH_URL", "ต้องมี: ที่อยู่ของตัวกลางลงชื่อเข้าใช้ GitHub (OAuth proxy) เช่น "
                         "https://desk-auth.example.workers.dev", "is needed: the address of the GitHub sign-in "
                         "(OAuth) proxy, e.g. https://desk-auth.example.workers.dev")
        return {"name": "github", "repo": repo, "branch": branch, "base_url": _https_origin("DESK_AUTH_URL", auth)}
    app_id = str(settings.get("DESK_APP_ID") or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]+", app_id):
        raise _wrong("DESK_APP_ID", f"ต้องเป็น Application ID ของแอป OAuth บน GitLab (ได้ {app_id!r})",
                     f"must be the Application ID of the GitLab OAuth application (got {app_id!r})")
    base = _https_origin("DESK_GITLAB_URL", str(settings.get("DESK_GITLAB_URL") or GITLAB).strip())
    return {"name": "gitlab", "repo": repo, "branch": branch, "auth_type": "pkce", "app_id": app_id,
            "base_url": base, "api_root": f"{base}/api/v4"}


def hosted_policy(backend: dict) -> str:
    """The editor's policy with the hosts its backend needs, and no other.

    github: connect-src the API (`api.github.com`: listing, reading, committing, pictures read back
    as blobs); img-src the signed-in officer's avatar, which Decap shows in its header. Not the
    OAuth proxy (sign-in is a pop-up window, answered by postMessage, which CSP does not govern),
    not githubstatus.com (Decap's status check fails soft: a console warning).
    gitlab: connect-src the GitLab server (the PKCE token exchange, `/oauth/token`) and its API;
    img-src the same server (avatars uploaded to GitLab; a Gravatar avatar is not shown)."""
    if backend["name"] == "github":
        connect, images = [GITHUB_API], [GITHUB_AVATARS]
    else:
        connect, images = [_origin(backend["base_url"])], [_origin(backend["base_url"])]
    return _POLICY.format(images="".join(f" {host}" for host in images),
                          connect="".join(f" {host}" for host in connect))


def not_installed_line() -> str:
    return ("make publish ต้องใช้โปรแกรมของโต๊ะข่าวเมื่อตั้ง DESK_HOSTED แต่ยังไม่ได้ติดตั้ง (desk/node_modules): "
            "สั่ง make publish อีกครั้ง (Makefile ติดตั้งให้เมื่อมี npm) หรือ cd desk && npm ci --ignore-scripts / "
            "make publish with DESK_HOSTED needs the desk's packages, which are not installed (desk/node_modules): "
            "run make publish again (the Makefile installs them when npm is there), or cd desk && npm ci --ignore-scripts")


def check_hosted(settings: dict) -> dict | None:
    """Before the build: the backend (None when off), or HostedDeskError for a wrong setting or a
    missing bundle."""
    backend = hosted_backend(settings)
    if backend is not None and not (DIST / "decap-cms.js").is_file():
        raise HostedDeskError(not_installed_line())
    return backend


def repository_path(content: Path) -> str:
    """The content folder as the repository names it (Decap's paths start there): `content`."""
    try:
        return content.resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        raise HostedDeskError(f"โต๊ะข่าวบนเว็บเขียนลงคลังนี้ แต่โฟลเดอร์เนื้อหา {content} อยู่นอกคลัง ({ROOT}): "
                              f"สร้างจากโฟลเดอร์ content ของคลัง หรือไม่ตั้ง DESK_HOSTED / the hosted desk writes into "
                              f"this repository, but the content folder {content} is outside it ({ROOT}): build "
                              "from the repository's content folder, or leave DESK_HOSTED unset") from None


def admin_page(policy: str) -> str:
    """desk/admin/index.html with `policy` in its <meta> (the page carries ADMIN_POLICY's)."""
    html = (ADMIN / "index.html").read_text(encoding="utf-8")
    local = f'content="{meta_policy(ADMIN_POLICY)}"'
    if html.count(local) != 1:
        raise ValueError(f"desk/admin/index.html must carry ADMIN_POLICY (newsroom/desk_site.py) once in its <meta>: {local}")
    return html.replace(local, f'content="{meta_policy(policy)}"')


def write_admin(output: Path, settings: dict, backend: dict, content_name: str = "content") -> Path:
    """The hosted editor in output/admin/: our page with the backend's policy, our scripts, Decap's
    bundle, and the generated config.yml (the backend, no local_backend) and desk-data.js."""
    admin = output / "admin"
    if admin.exists():
        raise HostedDeskError(f"{admin} มีอยู่แล้ว: หน้าเว็บหรือไฟล์ในเนื้อหาใช้ที่อยู่ /admin/ ซึ่งเป็นของโต๊ะข่าว "
                              "ให้เปลี่ยน Slug ของหน้านั้น / "
                              f"{admin} already exists: a page or file of the content uses /admin/, the desk's "
                              "address; change that page's Slug")
    admin.mkdir()
    (admin / "index.html").write_text(admin_page(hosted_policy(backend)), encoding="utf-8")
    for path in sorted(ADMIN.iterdir()):
        if path.suffix == ".js":
            shutil.copyfile(path, admin / path.name)
    for path in sorted(DIST.iterdir()):
        if BUNDLE.fullmatch(path.name):
            shutil.copyfile(path, admin / path.name)
    site = str(settings.get("SITEURL") or "")
    decap = desk_config.config(settings, content_name, backend=backend, site_url=site)
    (admin / "config.yml").write_text(json.dumps(decap, ensure_ascii=False, indent=1), encoding="utf-8")
    data = json.dumps(desk_config.desk_data(hosted=True), ensure_ascii=False, sort_keys=True)
    (admin / "desk-data.js").write_text(f"window.DESK_DATA = {data};\n", encoding="utf-8")
    return admin
