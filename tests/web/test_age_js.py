"""The screen's ticking data age (static/age.js) says it in fmt.format_age's words."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pcsauvegarde.station.documents.fmt import format_age

STATIC = Path(__file__).resolve().parents[2] / "pcsauvegarde" / "station" / "web" / "static"
AGE_JS = STATIC / "age.js"
SECONDS = [-120, -30, 0, 1, 42, 59.9, 60, 61, 754, 3599, 3600, 7500, 86399, 86400, 108000,
           172800, 190800, 259200, 270000, 1_000_000]


@pytest.mark.skipif(shutil.which("node") is None, reason="node absent")
def test_js_and_python_say_the_same_age():
    script = (f"const age = require({json.dumps(str(AGE_JS))});"
              f"console.log(JSON.stringify({json.dumps(SECONDS)}.map(age)));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [format_age(dt.timedelta(seconds=s)) for s in SECONDS]


def test_banner_marks_the_age_to_tick(logged_in, station):
    html = logged_in.get("/").get_data(as_text=True)
    extracted = station.store.snapshot("dpi").extracted_at
    assert f'data-extracted="{extracted.isoformat()}"' in html
    assert '<span class="age">il y a ' in html and "age.js" in html
