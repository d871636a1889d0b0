"""HL7 v2 importer: ADT A01/A02/A03/A08, ORU^R01, RDE^O11 → canonical records.

Messages are replayed in file order and the result is the state they describe: a later
message about the same record (same NDA, order, result…) replaces the earlier one. A message
that cannot be used is refused alone (:class:`Hl7Rejection`, French reason naming the file,
message and segment); a bad AL1/DG1/OBX/order inside a usable message is refused alone too.
Patients come from ADT only; ORU and RDE refer to them by IPP (PID-3).
Parsing is python-hl7 (``hl7``): tolerant, small, handles separators and escape sequences.
Segments may end with ``\\r``, ``\\n`` or ``\\r\\n``; the charset is MSH-18 (UTF-8 by default,
ISO 8859-1 accepted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import hl7

from pcsauvegarde.core.records import Record, RecordError, Stay, record_from_dict
from pcsauvegarde.core.text import clean_data
from pcsauvegarde.publisher.importers.hl7v2 import mapping as m
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, get

ADT_EVENTS = ("A01", "A02", "A03", "A08")
SUPPORTED = "ADT A01/A02/A03/A08, ORU^R01, RDE^O11"
CHARSETS = {"": "utf-8", "UNICODE UTF-8": "utf-8", "UTF-8": "utf-8", "UTF8": "utf-8",
            "ASCII": "utf-8", "8859/1": "latin-1", "8859/15": "iso8859-15"}
_BATCH = (b"FHS", b"BHS", b"BTS", b"FTS")


@dataclass(frozen=True)
class Hl7Rejection:
    """A refused message (or segment of a message): where it is and why, in French."""

    file: str
    message_number: int   # 1 for the first message of the file
    line: int             # line of the message's MSH segment in the file
    message_type: str
    control_id: str
    reason_fr: str

    def message(self) -> str:
        kind = f"{self.message_type} " if self.message_type else ""
        ctl = f" ({self.control_id})" if self.control_id else ""
        return (f"{self.file}, message {self.message_number} (ligne {self.line}) : "
                f"{kind}refusé{ctl} — {self.reason_fr}")

    __str__ = message


@dataclass
class Hl7Result:
    """Records (the state after replaying every message) and refusals."""

    records: list[Record] = field(default_factory=list)
    rejections: list[Hl7Rejection] = field(default_factory=list)
    messages: int = 0
    cleaned: Counter[str] = field(default_factory=Counter)
    """Fields per record type from which control or bidi characters were removed."""

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.TYPE for r in self.records))

    def of_type(self, name: str) -> list[Record]:
        return [r for r in self.records if r.TYPE == name]


@dataclass
class _Raw:
    file: str
    number: int
    line: int
    segments: list[bytes]


def import_hl7(paths: Iterable[Path]) -> Hl7Result:
    """Read HL7 v2 files (one or more messages each) and map them; never raises on content."""
    importer = _Importer()
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            importer.result.rejections.append(
                Hl7Rejection(path.name, 0, 0, "", "", f"fichier illisible ({exc.strerror})"))
            continue
        for raw in split_messages(path.name, data):
            importer.message(raw)
    importer.result.records = list(importer.state.values())
    return importer.result


def split_messages(name: str, data: bytes) -> list[_Raw]:
    """Cut a file into messages at each MSH; any of CR, LF, CRLF ends a segment."""
    text = data.replace(b"\x0b", b"").replace(b"\x1c", b"")
    lines = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    messages: list[_Raw] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line[:3] in _BATCH:
            continue
        if line.startswith(b"MSH"):
            messages.append(_Raw(name, len(messages) + 1, number, [line]))
        elif messages:
            messages[-1].segments.append(line)
        else:
            messages.append(_Raw(name, 1, number, [line]))  # refused: no MSH first
    return messages


class _Importer:
    def __init__(self) -> None:
        self.result = Hl7Result()
        self.state: dict[tuple[str, str], Record] = {}

    def message(self, raw: _Raw) -> None:
        self.result.messages += 1
        header = raw.segments[0]
        if not header.startswith(b"MSH") or len(header) < 8:
            self._refuse(raw, "", "", "le message ne commence pas par un segment MSH")
            return
        fields = header.decode("latin-1").split(header.decode("latin-1")[3])
        mtype = "^".join(fields[8].split(fields[1][:1] or "^")[:2]) if len(fields) > 8 else ""
        control = fields[9] if len(fields) > 9 else ""
        repeat = fields[1][1:2] or "~"
        charset = fields[17].split(repeat)[0].strip().upper() if len(fields) > 17 else ""
        encoding = CHARSETS.get(charset)
        if encoding is None:
            self._refuse(raw, mtype, control, f"MSH-18 : jeu de caractères « {charset} » non pris "
                         "en charge (UNICODE UTF-8 ou 8859/1)")
            return
        try:
            text = "\r".join(s.decode(encoding) for s in raw.segments)
        except UnicodeDecodeError:
            self._refuse(raw, mtype, control, "texte non UTF-8 : déclarer MSH-18 = 8859/1 pour "
                         "un message en ISO 8859-1 (latin-1)")
            return
        try:
            msg = hl7.parse(text)
            found = self._dispatch(raw, msg, mtype, control)
        except Refused as exc:
            self._refuse(raw, mtype, control, str(exc))
            return
        except (RecordError, ValueError) as exc:
            self._refuse(raw, mtype, control, str(exc))
            return
        already = any(r.file == raw.file and r.message_number == raw.number
                      for r in self.result.rejections) if not found else True
        if not already:
            self._refuse(raw, mtype, control, "aucun enregistrement exploitable dans le message")

    def _refuse(self, raw: _Raw, mtype: str, control: str, reason: str) -> None:
        self.result.rejections.append(
            Hl7Rejection(raw.file, raw.number, raw.line, mtype, control, reason))

    def _dispatch(self, raw: _Raw, msg: hl7.Message, mtype: str, control: str) -> int:
        msh = msg.segment("MSH")
        kind, trigger = get(msh, 9, 1).upper(), get(msh, 9, 2).upper()
        segments = list(msg)
        ctx = _Ctx(self, raw, mtype, control, segments)
        if kind == "ADT" and trigger in ADT_EVENTS:
            return ctx.adt(trigger)
        if kind == "ORU" and trigger == "R01":
            return ctx.oru()
        if kind == "RDE" and trigger in ("O11", "O01"):
            return ctx.rde()
        raise Refused(f"type de message « {kind}^{trigger} » non pris en charge ({SUPPORTED})")


class _Ctx:
    """One message being mapped: its segments and where to put records and refusals."""

    def __init__(self, imp: _Importer, raw: _Raw, mtype: str, control: str, segments: list):
        self.imp, self.raw, self.mtype, self.control = imp, raw, mtype, control
        self.segments = segments
        self.msh = self.first("MSH")
        self.pid = self.first("PID")
        self.pv1 = self.first("PV1")
        self.count = 0
        self.refused = 0

    def first(self, name: str):
        return next((s for s in self.segments if str(s[0]) == name), None)

    def add(self, record: Record) -> None:
        data, cleaned = clean_data(record.to_dict())  # control/bidi characters: never printed
        record = record_from_dict(data)  # the same checks as the station's
        if cleaned:
            self.imp.result.cleaned[record.TYPE] += cleaned
        self.imp.state[(record.TYPE, record.id)] = record
        self.count += 1

    def try_add(self, what: str, build) -> None:
        """Map one sub-record; a failure refuses it alone, naming the segment."""
        try:
            record = build()
            if record is not None:
                self.add(record)
        except (Refused, RecordError, ValueError) as exc:
            self.refused += 1
            self.imp._refuse(self.raw, self.mtype, self.control, f"{what} : {exc}")

    def ipp(self) -> str:
        if self.pid is None:
            raise Refused("segment PID absent")
        return m.ipp_of(self.pid)

    def adt(self, event: str) -> int:
        ipp = self.ipp()
        try:
            self.add(m.map_patient(self.pid))
        except Refused:
            if ("patient", ipp) not in self.imp.state:
                raise  # an unknown patient without a usable identity: nothing can be kept
        if self.pv1 is not None and get(self.pv1, 19):
            previous = self.imp.state.get(("stay", get(self.pv1, 19)))
            event_at = get(self.first("EVN"), 2) or get(self.msh, 7)
            self.add(m.map_stay(self.pv1, ipp, event, event_at,
                                previous if isinstance(previous, Stay) else None))
        self._allergies_and_conditions(ipp)
        return self.count

    def _allergies_and_conditions(self, ipp: str) -> None:
        for seg in self.segments:
            name = str(seg[0])
            if name == "AL1":
                self.try_add(f"AL1 {get(seg, 1)}", lambda s=seg: m.map_allergy(s, ipp))
            elif name == "DG1":
                self.try_add(f"DG1 {get(seg, 1)}", lambda s=seg: m.map_condition(s, ipp))

    def oru(self) -> int:
        ipp = self.ipp()
        orc = obr = None
        order_id = ""
        groups = 0
        for seg in self.segments:
            name = str(seg[0])
            if name == "ORC":
                orc = seg
            elif name == "OBR":
                obr, groups = seg, groups + 1
                order_id = (get(obr, 3) or get(obr, 2) or get(orc, 3) or get(orc, 2)
                            or f"{self.control or 'message'}-{groups}")
            elif name == "OBX":
                self.try_add(f"OBX {get(seg, 1) or '?'}", lambda s=seg, o=obr, i=order_id:
                             m.map_result(s, o, i or f"{self.control}-0", ipp))
        if not self.count and not self.refused and any(str(s[0]) == "OBX" for s in self.segments):
            raise Refused("aucun résultat codé : les OBX sans code d'analyse (OBX-3) sont du "
                          "texte de compte rendu, non importé")
        return self.count

    def rde(self) -> int:
        ipp = self.ipp()
        nda = get(self.pv1, 19)
        self._allergies_and_conditions(ipp)
        groups: list[dict] = []
        for seg in self.segments:
            name = str(seg[0])
            if name == "ORC" or (name == "RXE" and (not groups or "RXE" in groups[-1])):
                groups.append({})
            if name in ("ORC", "RXE", "RXR", "TQ1") and groups:
                groups[-1].setdefault(name, seg)
            elif name == "NTE" and groups:
                groups[-1].setdefault("NTE", []).append(get(seg, 3))
        for n, group in enumerate((g for g in groups if "RXE" in g), start=1):
            orc, rxe = group.get("ORC"), group["RXE"]
            order_id = (get(orc, 2) or get(orc, 3) or get(rxe, 15) or get(orc, 4)
                        or f"{self.control or 'message'}-{n}")
            self.try_add(f"commande {order_id}", lambda o=orc, r=rxe, g=group, i=order_id:
                         m.map_order(o, r, g.get("RXR"), g.get("TQ1"), ipp, nda, i,
                                     get(self.msh, 7), g.get("NTE", [])))
        return self.count
