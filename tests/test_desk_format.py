"""The desk's file format (desk/admin/desk.js, issue 17 point 4): its Node tests, run from here so
that `make test` runs them, with the tables the desk serves (desk_config.desk_data) and the
folders whose files must round-trip; and a story the format writes, read by the build's own
validator. Needs Node only (not the desk's packages): skipped without it, with that reason, unless
DESK_TESTS_REQUIRED=1 (.ci/run sets it: there a missing Node is a failure).
"""

import json
import os
import shutil
import subprocess

import pytest

from newsroom.desk_config import desk_data
from sites import HOSTILE_CONTENT, ROOT, SITE_CONTENT
from thainews.metadata import check_metadata

NODE = shutil.which("node")


def need_node():
    if NODE is None:
        if os.environ.get("DESK_TESTS_REQUIRED") == "1":
            pytest.fail("Node.js is missing but DESK_TESTS_REQUIRED=1: install nodejs (Node 20)")
        pytest.skip("Node.js is not installed (node): the desk's format tests need it")


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk") / "desk-data.json"
    settings = {"ARTICLE_PATHS": ["news"], "EVENT_PATHS": ["events"], "PAGE_PATHS": ["pages"]}  # the folders
    path.write_text(json.dumps(desk_data(settings), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_formats_node_tests_pass_on_every_file(data_file):
    need_node()
    # live content: the officers' own files must round-trip through the desk byte-identically
    roots = [ROOT / "content", SITE_CONTENT, HOSTILE_CONTENT]
    env = {**os.environ, "DESK_DATA_JSON": str(data_file), "DESK_ROUNDTRIP_ROOTS": os.pathsep.join(map(str, roots))}
    run = subprocess.run([NODE, "--test", str(ROOT / "desk" / "tests")], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout


def to_file(data_file, entry: dict) -> str:
    """desk.js's toFile on `entry`, in Node."""
    script = """
const fs = require('fs'), vm = require('vm');
const box = {};
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), box);
const format = box.DeskFormat.makeFormat(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
process.stdout.write(format.toFile(JSON.parse(process.argv[3])));
"""
    run = subprocess.run([NODE, "-e", script, str(ROOT / "desk/admin/desk.js"), str(data_file),
                          json.dumps(entry, ensure_ascii=False)], capture_output=True, text=True, timeout=60, check=True)
    return run.stdout


def read_header(text: str) -> tuple[dict, str]:
    """The header as the build's Markdown reads it (keys lower-case, values joined) and the body."""
    from markdown import Markdown

    markdown = Markdown(extensions=["markdown.extensions.meta"])
    html = markdown.convert(text)
    return {key: "\n".join(values) for key, values in markdown.Meta.items()}, html


def test_a_new_story_from_the_desk_passes_the_builds_checks(data_file):
    need_node()
    entry = {"Title": "ข่าวจากโต๊ะข่าว", "Date": "2567-06-05", "Slug": "desk-story", "_year": "2567",
             "Networks": ["เครือข่ายศาสนา", "เครือข่ายสื่อคุณธรรม"], "Image": "", "body": "เนื้อหา **ข่าว**\n"}
    text = to_file(data_file, entry)
    assert text.startswith("Title: ข่าวจากโต๊ะข่าว\nDate: 2567-06-05\nSlug: desk-story\n")
    meta, html = read_header(text)
    assert meta == {"title": "ข่าวจากโต๊ะข่าว", "date": "2567-06-05", "slug": "desk-story",
                    "networks": "เครือข่ายศาสนา, เครือข่ายสื่อคุณธรรม"}
    checked = check_metadata("content/news/2567/desk-story.md", text, meta, "เนื้อหา ข่าว", "article")
    assert checked.problems == []
    assert [network.slug for network in checked.networks] == ["religion", "media"]
    assert "<strong>ข่าว</strong>" in html

    # The validator does see what the desk lets through: a cover picture without its description.
    bad = to_file(data_file, {**entry, "Image": "images/2567-06-05-desk-story/p01.jpg"})
    meta, _ = read_header(bad)
    problems = check_metadata("x.md", bad, meta, "เนื้อหา", "article").problems
    assert [(problem.field, problem.line) for problem in problems] == [("Image", 5)]
