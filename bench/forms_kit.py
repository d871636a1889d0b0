"""Time of a unit's « kit de démarrage »: `.venv/bin/python -m bench.forms_kit [patients]`.

30 demo inpatients × 4 pre-identified forms (surveillance 24 h, paper prescription, nursing
notes, glycaemia) with the cover, drawn as issuing/kit.py draws them (one PDF, fonts embedded
once); then the page count estimate the kit screen shows before printing. Target: ≤ 5 s.
"""

from __future__ import annotations

import functools
import sys
import time

from bench.documents import ctx, demo_files
from pcsauvegarde.station.documents import bundle, forms
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.issuing.kit import PageCounter

FORMS = ("surveillance-24h", "prescription-papier", "transmissions-ciblees", "glycemie-insuline")
TARGET_S = 5.0


def render_kit(files: list[PatientFile]) -> bundle.RenderedBundle:
    """The kit as issuing/kit.py draws it (journalling aside): cover first, then the forms."""
    library = forms.load()
    parts = [bundle.BundlePart(functools.partial(forms.draw, form=form_id), f,
                               ctx(f"BENCH-{i:04d}-{k}"), f.stay.room if f.stay else "",
                               f.patient.birth_name, library[form_id].title)
             for i, f in enumerate(files) for k, form_id in enumerate(FORMS)]
    return bundle.render("U", "Unité", len(files), parts, ctx(), kit=True)


def estimate(files: list[PatientFile]) -> int:
    """The page count the kit screen shows (the cover aside)."""
    counter, library = PageCounter(), forms.load()
    return sum(counter.pages(library[form_id], f) for f in files for form_id in FORMS)


def run(count: int = 30, out=print) -> dict[str, float]:
    files = demo_files(count)
    forms.render(files[0], ctx(), form=FORMS[0])     # warm-up: fonts parsed once per process
    start = time.perf_counter()
    kit = render_kit(files)
    kit_s = time.perf_counter() - start
    start = time.perf_counter()
    pages = estimate(files)
    estimate_s = time.perf_counter() - start
    cover = kit.placed[0].pages
    out(f"Kit de démarrage, {len(files)} patients × {len(FORMS)} forms: {kit_s:.2f} s, "
        f"{kit.pages} pages, {len(kit.pdf) // kit.pages} bytes/page (target ≤ {TARGET_S:g} s)")
    out(f"Page count before printing: {estimate_s:.2f} s, {pages + cover} pages announced, "
        f"{kit.pages} printed")
    return {"kit_s": kit_s, "pages": kit.pages, "announced": pages + cover,
            "estimate_s": estimate_s}


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    sys.exit(0 if figures["kit_s"] <= TARGET_S else 1)
