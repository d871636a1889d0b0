"""Publishing from the mirror: deltas from pending keys only, same result as a fresh full."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.core.records import DOMAINS, Allergy, LabResult, RecordError, Stay
from pcsauvegarde.publisher.incremental import publish_mirror
from pcsauvegarde.publisher.mirror import Mirror
from pcsauvegarde.publisher.publisher import publish
from pcsauvegarde.publisher.state import PublishState
from tests.support.hospital import T0, dump, hospital, patient, publisher, pull, station

MIN = dt.timedelta(minutes=1)
SCOPES = [("cardio-1", "", ("CARDIO",)), ("usic-1", "", ("USIC",))]


def _stations(tmp_path, config, ids):
    return {sid: station(tmp_path / "st", config, ids[sid], sid) for sid, _, _ in SCOPES}


def _equals_fresh_full(tmp_path, stations, records, now):
    """Each station's store equals one fed a fresh full publish of ``records``."""
    config, ids = publisher(tmp_path / "fresh-pub", SCOPES)
    publish(records, config, "full", now=now)
    for sid, (settings, store) in stations.items():
        pull(settings, store)
        fresh_settings, fresh_store = station(tmp_path / "fresh", config, ids[sid], sid)
        pull(fresh_settings, fresh_store)
        assert dump(store) == dump(fresh_store), sid


def test_mirror_deltas_follow_admissions_transfers_and_deletions(tmp_path, monkeypatch):
    config, ids = publisher(tmp_path / "pub", SCOPES)
    stations = _stations(tmp_path, config, ids)
    records = hospital()
    mirror = Mirror()
    mirror.upsert(records, check=True)

    def names(paths):
        return sorted(p.name for p in paths)

    assert len(publish_mirror(mirror, config, "delta", now=T0)) == 8  # 4 domains x 2 scopes, full
    for settings, store in stations.values():
        pull(settings, store)

    # from now on a delta reads no whole digest set and encodes nothing unchanged
    reads = []
    monkeypatch.setattr(PublishState, "digests", lambda *a: reads.append(a) or {})
    assert publish_mirror(mirror, config, "delta", now=T0 + MIN) == []
    admitted = patient(7, "USIC")
    assert mirror.upsert(hospital() + admitted) == 3  # the unchanged ones cost nothing
    assert names(publish_mirror(mirror, config, "delta", now=T0 + 2 * MIN)) == [
        "usic-1.dpi.delta.0000000002.age", "usic-1.lab.delta.0000000002.age"]

    # a transfer CARDIO → USIC: the patient and all their data leave one scope, enter the other
    moved = next(r for r in records if r.TYPE == "stay" and r.unit == "CARDIO")
    mirror.upsert([dataclasses.replace(moved, unit="USIC")])
    written = names(publish_mirror(mirror, config, "delta", now=T0 + 3 * MIN))
    assert written == ["cardio-1.dpi.delta.0000000002.age", "cardio-1.lab.delta.0000000002.age",
                       "usic-1.dpi.delta.0000000003.age", "usic-1.lab.delta.0000000003.age"]
    # an allergy deleted at the source, a new result
    mirror.remove([("allergy", "A00")])
    result = LabResult("K07b", admitted[0].id, "2823-3", "Potassium", "5.9", T0 + 3 * MIN)
    mirror.upsert([result])
    publish_mirror(mirror, config, "delta", now=T0 + 4 * MIN)
    assert reads == []
    monkeypatch.undo()

    final = [dataclasses.replace(r, unit="USIC") if r == moved else r
             for r in hospital() if not isinstance(r, Allergy)] + admitted + [result]
    _equals_fresh_full(tmp_path, stations, final, T0 + 4 * MIN)


def test_restart_compares_everything_once_and_sees_deletions(tmp_path):
    config, ids = publisher(tmp_path / "pub", SCOPES)
    stations = _stations(tmp_path, config, ids)
    records = hospital()
    first = Mirror()
    first.upsert(records, check=True)
    publish_mirror(first, config, "delta", now=T0)
    # while the publisher is down, an allergy is deleted and a stay is transferred
    records = [r for r in records if not isinstance(r, Allergy)]
    records = [dataclasses.replace(r, unit="USIC") if isinstance(r, Stay) and r.id == "NDA00"
               else r for r in records]
    restarted = Mirror()
    restarted.upsert(records)
    written = sorted(p.name.split(".")[2] for p in publish_mirror(restarted, config, "delta",
                                                                  now=T0 + MIN))
    assert written and set(written) == {"delta"}
    _equals_fresh_full(tmp_path, stations, records, T0 + MIN)


def test_lost_state_gives_one_complete_full_publish(tmp_path):
    config, ids = publisher(tmp_path / "pub", SCOPES)
    stations = _stations(tmp_path, config, ids)
    mirror = Mirror()
    mirror.upsert(hospital(), check=True)
    publish_mirror(mirror, config, "delta", now=T0)
    for settings, store in stations.values():
        pull(settings, store)
    for suffix in ("", "-wal", "-shm"):
        config.state_file.with_name(config.state_file.name + suffix).unlink(missing_ok=True)
    records = hospital() + patient(8, "CARDIO")
    mirror.upsert(records)
    # the sequence must still be newer than the stations' snapshot: start after the drop's
    written = publish_mirror(mirror, config, "delta", now=T0 + MIN)
    assert {p.name.split(".")[2] for p in written} == {"full"}
    assert len(written) == 8  # every domain of every scope, complete
    _equals_fresh_full(tmp_path, stations, records, T0 + MIN)


def test_failed_publish_keeps_the_changes_pending(tmp_path, monkeypatch):
    config, _ = publisher(tmp_path / "pub", SCOPES)
    mirror = Mirror()
    mirror.upsert(hospital(), check=True)
    publish_mirror(mirror, config, "delta", now=T0)
    mirror.upsert(patient(9, "CARDIO"))
    monkeypatch.setattr(PublishState, "reserve", lambda *a: (_ for _ in ()).throw(
        OSError("disque plein")))
    with pytest.raises(OSError):
        publish_mirror(mirror, config, "delta", now=T0 + MIN)
    monkeypatch.undo()
    written = publish_mirror(mirror, config, "delta", now=T0 + 2 * MIN)
    assert sorted(p.name for p in written) == ["cardio-1.dpi.delta.0000000002.age",
                                               "cardio-1.lab.delta.0000000002.age"]


def test_unchecked_records_are_checked_on_request():
    bad = LabResult("K1", "900001", "2823-3", "Potassium", "4,1", T0, abnormal="très")
    with pytest.raises(RecordError):
        Mirror().upsert([bad], check=True)


def test_domain_by_domain_fulls_leave_no_patient_to_look_at_again(tmp_path, monkeypatch):
    config, _ = publisher(tmp_path / "pub", SCOPES)
    mirror = Mirror()
    mirror.upsert(hospital(), check=True)  # every stay is new: every patient "moved"
    for domain in DOMAINS:
        publish_mirror(mirror, config, "full", now=T0, domains=[domain])
    assert not mirror.pending
    mirror.upsert([LabResult("K99", "900001", "2823-3", "Potassium", "4.4", T0)])
    monkeypatch.setattr(PublishState, "digests", lambda *a: pytest.fail("whole digest set read"))
    (path,) = publish_mirror(mirror, config, "delta", now=T0 + MIN)
    assert path.name == "usic-1.lab.delta.0000000002.age"


def test_mirror_scopes_every_record_as_scope_records_does():
    from pcsauvegarde.core.records import StaffEntry, SterilisationCycle, Tray, WardStock
    from pcsauvegarde.publisher.publisher import ScopeGroup, scope_records
    from pcsauvegarde.publisher.scoping import route_patients

    records = hospital() + patient(8, "PNEUMO")  # a unit no scope names
    records.append(LabResult("K50", "900050", "2823-3", "Potassium", "4.0", T0))  # no stay
    records += [WardStock("CARDIO-1", "CARDIO", "9213718", 4),
                WardStock("USIC-1", "USIC", "9213718", 2),
                Tray("PL1", "Boîte cardio", owner_unit="CARDIO"), Tray("PL2", "Boîte commune"),
                Tray("PL3", "Boîte USIC", owner_unit="USIC"),
                SterilisationCycle("C1", "AUTO-1", "1", T0, tray_ids=("PL1",)),
                SterilisationCycle("C3", "AUTO-1", "2", T0, tray_ids=("PL3",)),
                StaffEntry("S1", "Dr Cœur", unit="CARDIO"), StaffEntry("S2", "Standard")]
    groups = [ScopeGroup("tout", ("age1",), ("*",), ("tout",)),
              ScopeGroup("cardio", ("age2",), ("CARDIO",), ("cardio",)),
              ScopeGroup("urgences", ("age3",), ("URG",), ("urgences",), True)]
    mirror = Mirror()
    mirror.upsert(records)
    routing = route_patients(records, groups)
    served = mirror.routing(groups)
    for group in groups:
        expected = {(r.TYPE, r.id) for rs in scope_records(records, group, routing).values()
                    for r in rs}
        keep = mirror.unit_keep(group.serves)
        got = {k for d in DOMAINS for k, _ in mirror.scoped(d, served[group.id], keep)}
        assert got == expected, group.id
    assert "900050" in served["urgences"] and "900008" in served["urgences"]
    assert "900050" in served["tout"] and "900050" not in served["cardio"]


def test_an_appointment_routes_its_patient_to_the_clinic_in_mirror_and_publisher():
    """A patient with no stay but an appointment in a clinic goes to that clinic's station
    (not to the « patients_without_stay » one); moving or removing it moves them."""
    from pcsauvegarde.core.records import Appointment, Patient
    from pcsauvegarde.publisher.publisher import ScopeGroup
    from pcsauvegarde.publisher.scoping import route_patients

    records = [*hospital(), Patient("900070", "MARTIN", "Léa", dt.date(1980, 5, 2), "F"),
               Appointment("RDV-1", "900070", "CARDIO", T0 + dt.timedelta(days=2))]
    groups = [ScopeGroup("cardio", ("age2",), ("CARDIO",), ("cardio",)),
              ScopeGroup("urgences", ("age3",), ("URG",), ("urgences",), True)]
    routing = route_patients(records, groups)
    assert routing.receives("cardio", "900070") and not routing.receives("urgences", "900070")
    nobody = route_patients(records, [ScopeGroup("urg", ("a",), ("URG",), ("urg",))])
    assert nobody.reasons["900070"].startswith("séjours ou rendez-vous en unité non desservie "
                                               "(CARDIO)")
    mirror = Mirror()
    mirror.upsert(records)
    assert "900070" in mirror.routing(groups)["cardio"]
    mirror.take(DOMAINS)
    mirror.remove([("appointment", "RDV-1")])
    assert mirror.pending.moved["dpi"] == {"900070"}
    served = mirror.routing(groups)
    assert "900070" not in served["cardio"] and "900070" in served["urgences"]
def test_cycle_report_counts_each_changed_record_once_with_its_reason(tmp_path):
    from collections import Counter

    from pcsauvegarde.publisher.cycle_report import GONE
    from pcsauvegarde.publisher.report import PublishReport

    config, _ = publisher(tmp_path / "pub", SCOPES)
    mirror = Mirror()
    mirror.upsert(hospital(), check=True)
    publish_mirror(mirror, config, "delta", now=T0)
    elsewhere = patient(8, "PNEUMO")  # a unit no scope names: nobody receives them
    mirror.upsert(patient(7, "USIC") + elsewhere)
    mirror.remove([("allergy", "A00"), ("allergy", "nobody-had-it")])
    report = PublishReport()
    written = publish_mirror(mirror, config, "delta", now=T0 + MIN, report=report,
                             imported=Counter(r.TYPE for r in patient(7, "USIC") + elsewhere))
    assert report.packages == written
    patients = report.types["patient"]
    assert (patients.imported, patients.in_scope, patients.sent) == (2, 1, 1)
    assert patients.not_sent == {"séjours en unité non desservie (PNEUMO) et aucune station "
                                 "« patients_without_stay »": 1}  # the one-shot's words
    allergies = report.types["allergy"]
    assert (allergies.in_scope, allergies.sent) == (1, 1)  # the deletion of A00, sent once
    assert allergies.not_sent == {} and GONE not in report.types["patient"].not_sent


def test_a_restarted_mirror_without_a_domain_leaves_it_untouched(tmp_path):
    """A restart whose inputs hold no lab record deletes no lab result at the stations."""
    from pcsauvegarde.publisher.report import PublishReport

    config, ids = publisher(tmp_path / "pub", SCOPES)
    stations = _stations(tmp_path, config, ids)
    records = hospital()
    first = Mirror()
    first.upsert(records, check=True)
    publish_mirror(first, config, "delta", now=T0)
    for settings, store in stations.values():
        pull(settings, store)
    restarted = Mirror()
    restarted.upsert([r for r in records if not isinstance(r, LabResult)])
    report = PublishReport()
    written = publish_mirror(restarted, config, "auto", now=T0 + MIN, report=report)
    assert not [p for p in written if ".lab." in p.name]
    assert "lab" in report.untouched and not restarted.pending
    assert any("Laboratoire : aucune entrée dans ce lot, rien envoyé" in line
               for line in report.lines())
    _equals_fresh_full(tmp_path, stations, records, T0 + MIN)


def test_an_untouched_domain_is_reported_once_under_watch(tmp_path):
    """The mirror's first publish names the domains it leaves untouched; later ones do not."""
    from pcsauvegarde.publisher.report import PublishReport

    config, _ = publisher(tmp_path / "pub", SCOPES)
    mirror = Mirror()
    mirror.upsert([r for r in hospital() if not isinstance(r, LabResult)], check=True)
    reports = [PublishReport(), PublishReport()]
    publish_mirror(mirror, config, "auto", now=T0, report=reports[0])
    mirror.upsert([dataclasses.replace(next(r for r in hospital() if isinstance(r, Allergy)),
                                       substance="Latex")])
    publish_mirror(mirror, config, "auto", now=T0 + MIN, report=reports[1])
    assert "lab" in reports[0].untouched and reports[1].untouched == []
