"""The screens' data-age banner says it in the same words as the paper footer."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents import fmt
from pcsauvegarde.station.freshness import freshness


def test_banner_and_paper_footer_share_the_data_age_text(station):
    extracted = station.store.snapshot("dpi").extracted_at
    now = extracted + dt.timedelta(hours=2, minutes=5)
    fresh = freshness(station.store, 120, now)
    dpi = next(d for d in fresh.domains if d.domain == "dpi")
    assert dpi.text == f"données du {fmt.format_local(extracted)} (il y a 2 h 05)"
    assert fmt.freshness(extracted, now) == f"MODE DÉGRADÉ — {dpi.text}"
    assert dpi.stale and fresh.stale


def test_nothing_received_says_nothing_old(tmp_path):
    from pcsauvegarde.station.store import Store

    fresh = freshness(Store(tmp_path / "store.sqlite"), 120)
    assert fresh.domains and all(d.text == "" and d.age is None for d in fresh.domains)
    assert fresh.stale and fresh.oldest is None


def test_home_banner_shows_the_text(logged_in, station):
    html = logged_in.get("/").get_data(as_text=True)
    extracted = station.store.snapshot("dpi").extracted_at
    # the age is its own element, kept ticking by static/age.js
    assert (f'Dossier patient : données du {fmt.format_local(extracted)} '
            '(<span class="age">il y a ') in html
