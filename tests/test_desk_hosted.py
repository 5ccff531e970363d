"""Publishing without a terminal (issue 17, point 7): the CI files and the hosted editor.

* The workflow files (.github/workflows/publish.yml, .gitlab-ci.yml) are read as YAML by the
  `yaml` package Decap itself reads its config with (desk/node_modules, from the committed lock;
  PyYAML is not a dependency): they run `make test` (through .ci/run) and `make publish`, then
  deploy to Pages or with `make deploy`; every action is pinned by a full commit; the permissions
  are each job's least; the SSH host is checked; nothing is cached. Not run on GitHub or GitLab
  here (no account): what they do there is unverified.
* `make publish` writes output/admin/ only when DESK_HOSTED asks for it, with the backend's
  config (no local backend) and policy; a wrong setting stops it before the build, in one
  bilingual line naming the setting; in headless Chromium the hosted page loads Decap with the
  GitHub or GitLab sign-in, asks no other host, and its policy lets it reach only its backend.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import PUBLIC_URL, ROOT, SITE_CONTENT, run_build_command
from newsroom import desk_site
from newsroom.build import MARKER
from newsroom.desk_config import HOSTED_SLUG_HINT, LOCAL_BACKEND, config, desk_data
from newsroom.desk_site import ADMIN_POLICY, DIST, HostedDeskError, hosted_backend, hosted_policy
from thainews.csp import directives

GITHUB_WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
YAML_PACKAGE = ROOT / "desk" / "node_modules" / "yaml"
SETTINGS = {"ARTICLE_PATHS": ["news"], "EVENT_PATHS": ["events"], "PAGE_PATHS": ["pages"]}
GITHUB = {"DESK_HOSTED": "github", "DESK_REPO": "moral-center/news", "DESK_AUTH_URL": "https://auth.example.org/"}
GITLAB = {"DESK_HOSTED": "gitlab", "DESK_REPO": "moral-center/news", "DESK_APP_ID": "a1b2c3"}
PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")


def desk_packages() -> None:
    """Skip (or fail, under .ci/run) without Node or the desk's packages."""
    missing = "Node.js (node)" if shutil.which("node") is None else (
        "the desk's packages (desk/node_modules: make desk installs them)" if not DIST.is_dir() else "")
    if missing:
        if os.environ.get("DESK_TESTS_REQUIRED") == "1":
            pytest.fail(f"{missing} missing, and DESK_TESTS_REQUIRED=1")
        pytest.skip(f"{missing} not installed: the hosted desk's tests need it")


def read_yaml(path) -> dict:
    desk_packages()
    script = ("const yaml = require(process.argv[1]); const fs = require('fs');"
              "const doc = yaml.parseDocument(fs.readFileSync(process.argv[2], 'utf8'));"
              "if (doc.errors.length) { console.error(String(doc.errors[0])); process.exit(1); }"
              "process.stdout.write(JSON.stringify(doc.toJSON()));")
    done = subprocess.run(["node", "-e", script, str(YAML_PACKAGE), str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, f"{path.name} is not valid YAML: {done.stderr}"
    return json.loads(done.stdout)


def run_lines(job: dict) -> list[str]:
    lines = []
    for step in job.get("steps", []):
        lines += str(step.get("run", "")).splitlines()
    for key in ("before_script", "script"):
        for item in job.get(key, []):
            lines += str(item).splitlines()
    return [line.strip() for line in lines]


# ---------------------------------------------------------------------------------- the CI files

def test_the_yaml_reader_refuses_broken_yaml(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("jobs:\n  test:\n    steps: [\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not valid YAML"):
        read_yaml(broken)


def test_the_github_workflow_tests_publishes_and_deploys_on_a_push_to_main():
    workflow = read_yaml(GITHUB_WORKFLOW)
    assert workflow["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in workflow["on"]
    jobs = workflow["jobs"]
    assert set(jobs) == {"test", "publish", "pages"}
    assert "bash .ci/run" in run_lines(jobs["test"])  # make lint, make test, with Chromium, rsync, nginx, Node
    assert "DESK_TESTS_REQUIRED=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    publish = jobs["publish"]
    assert publish["needs"] == "test"  # nothing is deployed unless the tests passed
    assert publish["if"] == "github.ref == 'refs/heads/main'"  # nor from another branch run by hand
    assert publish["env"]["DESK_BRANCH"] == "main"
    assert "make publish" in run_lines(publish)
    upload = [step for step in publish["steps"] if "upload-pages-artifact" in step.get("uses", "")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "output/"
    assert upload[0]["if"] == "steps.where.outputs.pages == 'true'"
    rsync = [step for step in publish["steps"] if "make deploy" in step.get("run", "")]
    assert len(rsync) == 1 and rsync[0]["if"] == "env.TO_SERVER == 'true'"
    assert publish["env"]["TO_SERVER"] == "${{ secrets.DEPLOY_TARGET != '' }}"  # a boolean, not the secret
    pages = jobs["pages"]
    assert pages["needs"] == "publish" and pages["if"] == "needs.publish.outputs.pages == 'true'"
    assert pages["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in pages["steps"]] == ["actions/deploy-pages"]


def test_the_github_workflow_has_least_privilege_pinned_actions_and_no_cache():
    workflow = read_yaml(GITHUB_WORKFLOW)
    assert workflow["permissions"] == {}  # nothing unless a job asks
    assert workflow["concurrency"]["cancel-in-progress"] is False
    asked = {name: job["permissions"] for name, job in workflow["jobs"].items()}
    assert asked == {"test": {"contents": "read"}, "publish": {"contents": "read"},
                     "pages": {"pages": "write", "id-token": "write"}}
    text = GITHUB_WORKFLOW.read_text(encoding="utf-8")
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(PINNED.fullmatch(action) for action in uses), uses
    for action in uses:  # the version is said next to the commit
        assert re.search(re.escape(action) + r" # v\d+\.\d+\.\d+\n", text), action
    assert "actions/cache" not in text and "cache:" not in text
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    # secrets only reach the one step that uses them, through its environment
    secret_steps = [step for job in workflow["jobs"].values() for step in job["steps"] if "secrets." in json.dumps(step)]
    assert [sorted(step["env"]) for step in secret_steps] == [["DEPLOY_KNOWN_HOSTS", "DEPLOY_SSH_KEY", "DEPLOY_TARGET"]]
    assert all("${{" not in step["run"] for step in secret_steps)  # never pasted into the script


@pytest.mark.parametrize("path", [GITHUB_WORKFLOW, GITLAB_CI], ids=["github", "gitlab"])
def test_the_server_is_checked_against_known_hosts(path):
    text = path.read_text(encoding="utf-8")
    assert "StrictHostKeyChecking=yes" in text and "UserKnownHostsFile=" in text
    assert "StrictHostKeyChecking=no" not in re.sub(r"#.*", "", text)
    # the key and the host list are written to files, never printed into the log
    shown = [line for line in text.splitlines() if re.search(r"\$\{?DEPLOY_(SSH_KEY|KNOWN_HOSTS|TARGET)\b", line)
             and re.search(r"\b(echo|printf|cat)\b", line) and not re.search(r'> "\$keys/', line)]
    assert shown == []


def test_the_gitlab_pipeline_tests_then_publishes_to_pages_or_with_rsync():
    pipeline = read_yaml(GITLAB_CI)
    assert pipeline["stages"] == ["test", "deploy"]
    assert "bash .ci/run" in run_lines(pipeline["test"])
    pages, deploy = pipeline["pages"], pipeline["deploy"]
    assert pages["stage"] == deploy["stage"] == "deploy"  # after the test stage passed
    assert "make publish" in run_lines(pages) and "make publish" in run_lines(deploy)
    assert pages["artifacts"]["paths"] == ["public"]
    assert any(line.startswith("rm -rf public && cp -a output public") for line in run_lines(pages))
    assert "make deploy" in run_lines(deploy) and "make deploy" not in run_lines(pages)
    # exactly one of the two runs: Pages without DEPLOY_TARGET, rsync with it
    assert "$DEPLOY_TARGET ==" in pages["rules"][0]["if"] and deploy["rules"][0]["if"].endswith("&& $DEPLOY_TARGET")
    assert "cache" not in pipeline and all("cache" not in job for job in pipeline.values() if isinstance(job, dict))


# ---------------------------------------------------------------------------------- settings

def test_the_hosted_editor_is_off_unless_asked():
    assert hosted_backend({}) is None
    assert hosted_backend({"DESK_HOSTED": "", "DESK_REPO": "a/b"}) is None
    assert config(SETTINGS)["backend"] == LOCAL_BACKEND


def test_github_and_gitlab_backends_from_the_settings():
    assert hosted_backend(GITHUB) == {"name": "github", "repo": "moral-center/news", "branch": "main",
                                      "base_url": "https://auth.example.org"}
    assert hosted_backend({**GITLAB, "DESK_BRANCH": "publish"}) == {
        "name": "gitlab", "repo": "moral-center/news", "branch": "publish", "auth_type": "pkce", "app_id": "a1b2c3",
        "base_url": "https://gitlab.com", "api_root": "https://gitlab.com/api/v4"}
    own = hosted_backend({**GITLAB, "DESK_GITLAB_URL": "https://git.example.go.th"})
    assert own["base_url"] == "https://git.example.go.th" and own["api_root"] == "https://git.example.go.th/api/v4"


@pytest.mark.parametrize(("settings", "named"), [
    ({**GITHUB, "DESK_HOSTED": "netlify"}, "DESK_HOSTED"),
    ({**GITHUB, "DESK_REPO": ""}, "DESK_REPO"),
    ({**GITHUB, "DESK_REPO": "news"}, "DESK_REPO"),
    ({**GITHUB, "DESK_REPO": "a/b c"}, "DESK_REPO"),
    ({**GITHUB, "DESK_BRANCH": "main..x"}, "DESK_BRANCH"),
    ({**GITHUB, "DESK_AUTH_URL": ""}, "DESK_AUTH_URL"),
    ({**GITHUB, "DESK_AUTH_URL": "http://auth.example.org"}, "DESK_AUTH_URL"),
    ({**GITHUB, "DESK_AUTH_URL": "https://user:pw@auth.example.org"}, "DESK_AUTH_URL"),
    ({**GITLAB, "DESK_APP_ID": ""}, "DESK_APP_ID"),
    ({**GITLAB, "DESK_APP_ID": "x\" onload=\"y"}, "DESK_APP_ID"),
    ({**GITLAB, "DESK_GITLAB_URL": "javascript:alert(1)"}, "DESK_GITLAB_URL"),
])
def test_a_wrong_setting_is_named_in_thai_and_english(settings, named):
    with pytest.raises(HostedDeskError) as raised:
        hosted_backend(settings)
    message = str(raised.value)
    assert f"ตั้งค่าโต๊ะข่าวบนเว็บไม่ถูกต้อง: {named}" in message and f"the hosted desk's setting {named}" in message


def test_without_the_desks_packages_publish_says_how_to_install_them(monkeypatch, tmp_path):
    monkeypatch.setattr(desk_site, "DIST", tmp_path / "missing")
    with pytest.raises(HostedDeskError, match="npm ci --ignore-scripts"):
        desk_site.check_hosted(GITHUB)
    assert desk_site.check_hosted({}) is None  # off: the packages are not needed


def test_the_hosted_config_commits_to_the_repository_and_asks_for_the_slug():
    backend = hosted_backend(GITHUB)
    hosted = config(SETTINGS, "content", backend=backend, site_url=PUBLIC_URL)
    assert hosted["backend"] == backend and "local_backend" not in hosted
    assert hosted["site_url"] == hosted["display_url"] == PUBLIC_URL
    local = config(SETTINGS)
    assert [c["folder"] for c in hosted["collections"]] == [c["folder"] for c in local["collections"]]
    slugs = [field for c in hosted["collections"] for field in c["fields"] if field["name"] == "Slug"]
    assert len(slugs) == 3 and all(field["hint"] == HOSTED_SLUG_HINT for field in slugs)
    assert desk_data(hosted=True)["slugApi"] is None and desk_data()["slugApi"] == "/desk/api/slug"
    # no album uploads there: desk.js's desk-photos widget is the folder's text field and a note
    # (desk/tests/format.test.mjs 'the album in a hosted editor')
    assert desk_data(hosted=True)["photosApi"] is None and desk_data()["photosApi"] == "/desk/api/photos"


def test_each_backend_opens_the_policy_to_its_own_hosts_only():
    site = dict(directives(ADMIN_POLICY))
    github = dict(directives(hosted_policy(hosted_backend(GITHUB))))
    gitlab = dict(directives(hosted_policy(hosted_backend({**GITLAB, "DESK_GITLAB_URL": "https://git.example.go.th"}))))
    assert github["connect-src"] == site["connect-src"] + " https://api.github.com"
    assert github["img-src"] == site["img-src"] + " https://avatars.githubusercontent.com"
    assert gitlab["connect-src"] == site["connect-src"] + " https://git.example.go.th"
    assert gitlab["img-src"] == site["img-src"] + " https://git.example.go.th"
    for policy in (github, gitlab):
        assert {name: value for name, value in policy.items() if name not in ("connect-src", "img-src")} == \
            {name: value for name, value in site.items() if name not in ("connect-src", "img-src")}
    assert "auth.example.org" not in hosted_policy(hosted_backend(GITHUB))  # sign-in is a pop-up


def test_the_page_refuses_to_guess_when_its_policy_was_changed(monkeypatch, tmp_path):
    page = (desk_site.ADMIN / "index.html").read_text(encoding="utf-8")
    (tmp_path / "index.html").write_text(page.replace("connect-src 'self'", "connect-src *"), encoding="utf-8")
    monkeypatch.setattr(desk_site, "ADMIN", tmp_path)
    with pytest.raises(ValueError, match="must carry ADMIN_POLICY"):
        desk_site.admin_page(ADMIN_POLICY)


# ---------------------------------------------------------------------------------- make publish

def publish(output, env, content=SITE_CONTENT):
    return run_build_command("publish", content, output, env={"SITEURL": PUBLIC_URL, "DESK_HOSTED": "",
                                                               "GITHUB_REPOSITORY": "", "CI_PROJECT_PATH": "", **env})


@pytest.fixture(scope="module")
def hosted_github(tmp_path_factory):
    desk_packages()
    output = tmp_path_factory.mktemp("hosted") / "out"
    done = publish(output, GITHUB)
    assert done.returncode == 0, done.stderr
    return output


@pytest.mark.slow
def test_publish_writes_no_editor_unless_asked(tmp_path):
    output = tmp_path / "out"
    done = publish(output, {"DESK_REPO": "moral-center/news"})
    assert done.returncode == 0, done.stderr
    assert (output / "index.html").is_file() and not (output / "admin").exists()


@pytest.mark.slow
def test_publish_with_desk_hosted_github_writes_the_editor(hosted_github):
    admin = hosted_github / "admin"
    decap = json.loads((admin / "config.yml").read_text(encoding="utf-8"))
    assert decap["backend"] == {"name": "github", "repo": "moral-center/news", "branch": "main",
                                "base_url": "https://auth.example.org"}
    assert "local_backend" not in decap and decap["site_url"] == PUBLIC_URL
    assert decap["collections"][0]["folder"] == "tests/data/site/content/news"  # the repository's path
    assert decap["collections"] == config(
        {"ARTICLE_PATHS": ["news"], "EVENT_PATHS": ["events"], "PAGE_PATHS": ["pages"]}, "tests/data/site/content",
        backend=decap["backend"])["collections"]
    data = (admin / "desk-data.js").read_text(encoding="utf-8")
    assert data == f"window.DESK_DATA = {json.dumps(desk_data(hosted=True), ensure_ascii=False, sort_keys=True)};\n"
    for name in ("desk-pre.js", "desk.js"):
        assert (admin / name).read_bytes() == (desk_site.ADMIN / name).read_bytes()
    assert (admin / "decap-cms.js").read_bytes() == (DIST / "decap-cms.js").read_bytes()
    chunks = {path.name for path in DIST.glob("*.decap-cms.js")}
    assert chunks and chunks <= {path.name for path in admin.iterdir()}  # the lazily loaded parts too
    assert not list(admin.glob("*.map")) and not (admin / "cms.js").exists()
    html = (admin / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "connect-src 'self' blob: data: https://api.github.com;" in meta and "frame-ancestors" not in meta
    # the public pages keep the site's policy
    page = (hosted_github / "index.html").read_text(encoding="utf-8")
    assert "api.github.com" not in page and "unsafe-eval" not in page
    # inside the marker: make deploy uploads the editor exactly as it was built
    files = json.loads((hosted_github / MARKER).read_text(encoding="utf-8"))["files"]
    assert "admin/config.yml" in files and "admin/decap-cms.js" in files


@pytest.mark.slow
@pytest.mark.parametrize(("env", "named"), [
    ({**GITHUB, "DESK_AUTH_URL": ""}, "DESK_AUTH_URL"),
    ({"DESK_HOSTED": "gitlab", "DESK_APP_ID": "a1"}, "DESK_REPO"),  # no repository, and CI did not say it
])
def test_a_wrong_setting_stops_publish_before_the_build_and_leaves_output_alone(tmp_path, env, named):
    output = tmp_path / "out"
    output.mkdir()
    (output / "index.html").write_text("the site as it was", encoding="utf-8")
    done = publish(output, env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "ตั้งค่าโต๊ะข่าวบนเว็บไม่ถูกต้อง" in lines[0]
    assert [path.name for path in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the site as it was"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]  # no build folder left


@pytest.mark.slow
def test_the_repository_is_the_one_the_ci_names(tmp_path):
    desk_packages()
    output = tmp_path / "out"
    done = publish(output, {"DESK_HOSTED": "gitlab", "DESK_APP_ID": "a1b2", "CI_PROJECT_PATH": "office/site"})
    assert done.returncode == 0, done.stderr
    decap = json.loads((output / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert decap["backend"]["repo"] == "office/site" and decap["backend"]["auth_type"] == "pkce"


def test_content_outside_the_repository_is_refused_for_the_hosted_editor(tmp_path):
    with pytest.raises(HostedDeskError, match="outside it"):
        desk_site.repository_path(tmp_path / "content")
    assert desk_site.repository_path(SITE_CONTENT) == "tests/data/site/content"


# ---------------------------------------------------------------------------------- in Chromium

@pytest.mark.slow
@pytest.mark.browser
def test_the_hosted_editor_loads_with_the_github_sign_in_and_reaches_only_github(hosted_github, browser):
    from serving import serve_folder

    asked, errors, refused = [], [], []
    with serve_folder(hosted_github) as base:
        page = browser.new_page()
        try:
            page.on("request", lambda request: asked.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: refused.append(message.text)
                    if "Content Security Policy" in message.text else None)
            # a stand-in for GitHub's API: the policy, not the network, decides what is reached
            page.route("https://api.github.com/**", lambda route: route.fulfill(
                status=200, body="{}", headers={"Access-Control-Allow-Origin": "*"}))
            page.route("https://elsewhere.example/**", lambda route: route.fulfill(status=200, body="{}"))
            page.goto(f"{base}/admin/")
            page.get_by_role("button", name="เข้าสู่ระบบด้วย GitHub").wait_for(timeout=30_000)
            assert all(url.startswith(base) for url in asked), [url for url in asked if not url.startswith(base)]
            assert errors == []
            reached = page.evaluate("""async () => {
                const tries = {};
                for (const url of ['https://api.github.com/zen', 'https://elsewhere.example/x']) {
                    try { await fetch(url); tries[url] = 'reached'; } catch (error) { tries[url] = 'refused'; }
                }
                return tries;
            }""")
        finally:
            page.close()
    assert reached == {"https://api.github.com/zen": "reached", "https://elsewhere.example/x": "refused"}
    assert refused and all("elsewhere.example" in text for text in refused)
