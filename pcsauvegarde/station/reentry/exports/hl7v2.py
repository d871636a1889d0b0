"""HL7 v2.5 ADT messages for the patient index (IHE PAM France).

Each downtime admission: A28 (create the person) then A01 (admit, the provisional NDA as
visit number); each verified merge: A40 (provisional IPP merged into the real one, MRG-1).
PID-3 carries the IPP with its assigning authority (setting ``ipp_assigning_authority``) and
type PI; PID-5 the birth name (type L) then the used name (type D), PID-5.2 the first given
name and PID-5.3 the second and further given names (XPN). Text is UTF-8 (MSH-18), HL7
delimiters escaped.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from pcsauvegarde.core.records import Patient
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.reentry.exports import source
from pcsauvegarde.station.reentry.transcription import Transcription
from pcsauvegarde.station.state.admissions import Admission
from pcsauvegarde.station.station import Station

SEX = {"M": "M", "F": "F", "I": "U"}
SEGMENT_END = "\r"
_ESCAPES = (("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"))


def esc(text: str) -> str:
    """A value with HL7's delimiters escaped (the escape character first); no line breaks."""
    text = " ".join(str(text).split())
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def ts(value: dt.datetime) -> str:
    """HL7 TS in local time with its offset: ``20261127140500+0100``."""
    return value.astimezone(PARIS).strftime("%Y%m%d%H%M%S%z")


def _control_id(*parts: str) -> str:
    """A stable message id (MSH-10, 20 characters): the same export twice gives the same."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20].upper()


def _msh(station: Station, event: str, structure: str, control: str, now: dt.datetime) -> str:
    return "|".join(["MSH", "^~\\&", "PCSAUVEGARDE", esc(station.settings.station_id), "", "",
                     ts(now), "", f"ADT^{event}^{structure}", control, "P", "2.5", "", "", "",
                     "", "FRA", "UNICODE UTF-8"])


def _cx(station: Station, ipp: str, kind: str = "PI") -> str:
    """An identifier with its assigning authority (HD as NAMESPACE&OID&ISO, kept as set)."""
    return f"{esc(ipp)}^^^{station.settings.ipp_assigning_authority}^{kind}"


def _pid(station: Station, ipp: str, p: Patient) -> str:
    # IHE PAM France: PID-5.2 the first given name, PID-5.3 the whole list of first names
    # (« liste des prénoms », as the INS needs and as our importer reads it), not XPN's
    # « further given names »: « Patient » alone gives INCONNU^Patient^Patient.
    given = p.first_names.split()
    first = esc(p.first_name or (given[0] if given else ""))
    names = [f"{esc(p.birth_name)}^{first}^{esc(p.first_names)}^^^^L"]
    if p.used_name:
        names.append(f"{esc(p.used_name)}^{first}^{esc(p.first_names)}^^^^D")
    return "|".join(["PID", "1", "", _cx(station, ipp), "", "~".join(names), "",
                     p.birth_date.strftime("%Y%m%d"), SEX.get(p.sex, "U")])


def _pv1(station: Station, a: Admission, kind: str) -> str:
    r = a.request
    if kind == "N":
        return "PV1|1|N"
    fields = ["PV1"] + [""] * 44
    fields[1], fields[2] = "1", "I"
    fields[3] = f"{esc(r.unit)}^{esc(r.room)}^{esc(r.bed)}"     # assigned location
    fields[19] = _cx(station, a.nda, "VN")                        # visit number (NDA)
    fields[44] = ts(a.admitted_at)                                # admit date/time
    return "|".join(fields)


def _message(segments: list[str]) -> str:
    return SEGMENT_END.join(segments) + SEGMENT_END


def admission_messages(station: Station, a: Admission, now: dt.datetime) -> list[str]:
    """A28 then A01 for one downtime admission, under its provisional IPP and NDA."""
    evn = f"EVN||{ts(now)}||||{ts(a.admitted_at)}"
    out = []
    for event, structure, visit in (("A28", "ADT_A05", "N"), ("A01", "ADT_A01", "I")):
        control = _control_id(station.settings.station_id, event, a.ipp)
        segments = [_msh(station, event, structure, control, now), evn,
                    _pid(station, a.ipp, patients.records_of(a)[0]), _pv1(station, a, visit)]
        if visit == "I" and a.request.reason:
            segments.append(f"PV2|||^{esc(a.request.reason)}")     # admit reason (text)
        out.append(_message(segments))
    return out


def merge_message(station: Station, a: Admission, merge: Transcription,
                  now: dt.datetime) -> str:
    """A40: the provisional IPP (MRG-1) merged into the real one (PID-3), with the real
    patient's identity when the station's extract has it (else the provisional one's)."""
    real = merge.data["real_ipp"]
    file = patients.patient_file(station, real)
    survivor = file.patient if file and not file.provisional else patients.records_of(a)[0]
    control = _control_id(station.settings.station_id, "A40", a.ipp, real)
    return _message([_msh(station, "A40", "ADT_A39", control, now), f"EVN||{ts(now)}",
                     _pid(station, real, survivor), f"MRG|{_cx(station, a.ipp)}"])


def export(station: Station, now: dt.datetime | None = None) -> tuple[str, int]:
    """(every message, one after the other; merges left out because not yet verified)."""
    now = now or dt.datetime.now(dt.UTC)
    merged = source.merges(station)
    messages: list[str] = []
    pending = 0
    for a in source.admissions(station):
        messages += admission_messages(station, a, now)
    for a in source.admissions(station):
        m = merged.get(a.ipp)
        if m is None:
            continue
        if not m.verified_by:
            pending += 1
            continue
        messages.append(merge_message(station, a, m, now))
    return "".join(messages), pending
