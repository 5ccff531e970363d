"""Where the frozen sites under tests/data/ are: one definition for the tests (tests/conftest.py)
and the benchmarks (bench/), which both build from them, never from the officers' content/
(issue 14, point 5: an officer's edit must never break CI nor change a benchmark's result).
Nothing here imports pytest.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A frozen copy of content/: the stories, activities, pages, lexicon and headers file the tests
# were written against, and the base the benchmarks add their synthetic articles to. Officers
# edit content/ every day; a test that read a real story's title or count would break when they
# did. Only the modules tests/test_test_data.py allows read the live content/, to check it builds.
SITE_CONTENT = ROOT / "tests" / "data" / "site" / "content"
# A small site of hostile text and HTML (tests/data/hostile/README.md).
HOSTILE_CONTENT = ROOT / "tests" / "data" / "hostile" / "content"
# The two plain-text reports officers paste (from a news site and from Facebook), copied from the
# project's seeds: what `make import` and the desk's "paste a report" are tested on.
SEEDS = ROOT / "tests" / "data" / "seeds"
