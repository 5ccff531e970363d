"""Commands for communications officers: `make new`, `make import`, `make check`, and the
build and upload around Pelican: `make html` / `make publish` (build.py), `make deploy` (deploy.py).

Each module runs as `python -m newsroom.<name>`; the Makefile wraps them. They use the same
plain functions as the build (plugins/thainews), so a file they write or pass always builds.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
