"""The steps whose order matters run in the order of `buildcore.STEPS`, not in the order of
PLUGINS (docs/architecture.md#where-the-order-of-plugins-matters): strict_content's report
comes before sharing draws anything, and the site is the same whatever order PLUGINS lists.

The builds run in their own process: in this one, the plugins' receivers are already connected
(in pelicanconf.py's order) by earlier builds, and blinker keeps the first connection's place."""

import io
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from blinker import Signal
from PIL import Image

import buildcore
from conftest import ROOT, SITE_CONTENT

PLUGINS = list(runpy.run_path(str(ROOT / "pelicanconf.py"))["PLUGINS"])
REVERSED = list(reversed(PLUGINS))


def pelican(content: Path, output: Path, plugins: list[str]) -> subprocess.Popen:
    """`make html`'s Pelican (pelicanconf.py, `--fatal errors`) with PLUGINS in the given order."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "pelican"), str(content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "--fatal", "errors", "-t", str(ROOT / "theme"),
         "-e", f"PLUGINS={json.dumps(plugins)}", f"CACHE_PATH={json.dumps(str(output) + '-cache')}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHAINLP_READ_ONLY": "1"},
    )


def both_orders(content: Path, tmp_path: Path) -> dict[str, tuple[int, str, Path]]:
    """Build with PLUGINS as listed and reversed, side by side: {order: (exit code, stderr, output)}."""
    started = {name: (pelican(content, tmp_path / name, plugins), tmp_path / name)
               for name, plugins in (("listed", PLUGINS), ("reversed", REVERSED))}
    results = {}
    for name, (process, output) in started.items():
        _out, err = process.communicate(timeout=300)
        results[name] = (process.returncode, err, output)
    return results


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def own_steps():
    """buildcore's steps without the plugins' (registered by earlier builds in this process)."""
    return mock.patch.dict(buildcore._steps, {step: Signal() for step in buildcore.STEPS})


def test_the_steps_run_in_the_order_of_steps_whatever_order_they_were_registered_in():
    called = []
    steps = {step: (lambda generators, step=step: called.append((step, generators))) for step in buildcore.STEPS}
    with own_steps():
        for step in reversed(buildcore.STEPS):
            buildcore.at(step, steps[step])
            buildcore.at(step, steps[step])  # twice is once
        buildcore.run_steps("generators")
    assert called == [(step, "generators") for step in buildcore.STEPS]
    assert buildcore.STEPS[:3] == ("report", "photos", "prepare")  # galleries checked, then their copies made


def test_a_step_that_stops_the_build_stops_the_later_steps():
    called = []

    def report(generators):
        raise SystemExit(1)

    def prepare(generators):
        called.append(generators)

    with own_steps(), pytest.raises(SystemExit):
        buildcore.at("prepare", prepare)
        buildcore.at("report", report)
        buildcore.run_steps("generators")
    assert called == []


def test_an_unknown_step_is_named():
    with pytest.raises(ValueError, match="no step 'before_report'; the steps are report, photos, prepare, attachments, after_prepare"):
        buildcore.at("before_report", print)


@pytest.mark.slow
def test_strict_contents_report_comes_first_whatever_the_order_of_plugins(content_copy, tmp_path):
    """A story without a title (strict_content's report) and another whose cover is cut off
    (sharing finds it only when it decodes the picture): the build stops with strict_content's
    report, exit 1, nothing published, as with PLUGINS in pelicanconf.py's order."""
    news = content_copy / "news" / "order"
    news.mkdir(parents=True)
    (news / "no-title.md").write_text("Date: 2567-05-01\nNetworks: เครือข่ายศาสนา\n\nเนื้อหาข่าวทดสอบ\n",
                                      encoding="utf-8")
    picture = io.BytesIO()
    Image.effect_noise((1600, 1000), 60).convert("RGB").save(picture, "JPEG", quality=90)
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "cut-off.jpg").write_bytes(picture.getvalue()[: len(picture.getvalue()) // 3])
    (news / "cut-off.md").write_text(
        "Title: ทดสอบรูปที่ขาด\nDate: 2567-05-01\nNetworks: เครือข่ายศาสนา\nImage: images/cut-off.jpg\n"
        "ImageAlt: ภาพทดสอบ\n\nเนื้อหาข่าวทดสอบ\n", encoding="utf-8")
    results = both_orders(content_copy, tmp_path)
    code, report, output = results["reversed"]
    assert code == 1, report
    assert "content/news/order/no-title.md" in report and "[Title]" in report, report
    assert "cannot decode the picture" not in report and "Traceback" not in report, report
    assert "Found 1 problem" in report and "พบปัญหา 1 จุด" in report, report
    assert not (output / "index.html").exists()
    listed_code, listed_err, _output = results["listed"]
    assert (code, report[report.index("พบปัญหา"):]) == (listed_code, listed_err[listed_err.index("พบปัญหา"):])


@pytest.mark.slow
def test_the_site_is_the_same_whatever_the_order_of_plugins(tmp_path):
    results = both_orders(SITE_CONTENT, tmp_path)
    for name, (code, err, _output) in results.items():
        assert code == 0, f"{name}: {err}"
    listed, reversed_ = (files(results[name][2]) for name in ("listed", "reversed"))
    assert "index.html" in listed and listed.keys() == reversed_.keys()
    differ = sorted(path for path in listed if listed[path] != reversed_[path])
    assert not differ, f"PLUGINS reversed changes {differ}"
