"""HL7 v2 importer (IHE PAM France ADT, ORU^R01, RDE^O11, RAS^O17) → canonical records.

Messages are replayed in file order and the result is the state they describe: a later
message about the same record (same NDA, order, result…) replaces the earlier one, cancels
remove it, merges move everything to the surviving IPP. A message is applied whole or
refused whole (:class:`Hl7Rejection`, French reason naming the file, message and field);
when a part of a usable message (an AL1, an OBX, an order, an invalid INS) is left out, the
rejection says so and lists exactly what was kept.
Parsing is python-hl7 (``hl7``) for segments; fields are read by :mod:`values`.
Segments may end with ``\\r``, ``\\n`` or ``\\r\\n``; MLLP framing and FHS/BHS batches are
accepted; the charset is MSH-18 (UTF-8 by default, ISO 8859-1 accepted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import hl7

from pcsauvegarde.core.records import TYPE_LABELS_FR, Record, RecordError, record_from_dict
from pcsauvegarde.core.text import clean_data
from pcsauvegarde.publisher.importers.hl7v2.events import EVENTS, SUPPORTED, Message
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.importers.hl7v2.values import Refused, get

CHARSETS = {"": "utf-8", "UNICODE UTF-8": "utf-8", "UTF-8": "utf-8", "UTF8": "utf-8",
            "ASCII": "utf-8", "8859/1": "latin-1", "8859/15": "iso8859-15"}
_BATCH = (b"FHS", b"BHS", b"BTS", b"FTS")
PARTIAL = "appliqué en partie"  # in the text of a rejection that is not a whole refusal


@dataclass(frozen=True)
class Hl7Rejection:
    """A refused message, or a part of an applied one (``kept`` says what was applied)."""

    file: str
    message_number: int   # 1 for the first message of the file
    line: int             # line of the message's MSH segment in the file
    message_type: str
    control_id: str
    reason_fr: str
    kept: str = ""        # "" when the whole message was refused

    def message(self) -> str:
        kind = f"{self.message_type} " if self.message_type else ""
        ctl = f" ({self.control_id})" if self.control_id else ""
        where = f"{self.file}, message {self.message_number} (ligne {self.line}) : "
        if self.kept:
            return (f"{where}{kind}{PARTIAL}{ctl} — {self.reason_fr} ; "
                    f"conservé : {self.kept}")
        return f"{where}{kind}refusé{ctl} — {self.reason_fr}"

    __str__ = message


@dataclass
class Hl7Result:
    """Records (the state after replaying every message) and refusals."""

    records: list[Record] = field(default_factory=list)
    rejections: list[Hl7Rejection] = field(default_factory=list)
    messages: int = 0
    events: Counter = field(default_factory=Counter)  # applied messages per TYPE^EVENT
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


def import_hl7(paths: Iterable[Path], options: Hl7Options | None = None) -> Hl7Result:
    """Read HL7 v2 files (one or more messages each) and map them; never raises on content."""
    importer = _Importer(options or Hl7Options())
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


def looks_like_hl7(data: bytes) -> bool:
    """Whether a file's first bytes are an HL7 v2 message or batch (MLLP framing allowed)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf\x0b \t\r\n")
    return head[:3] in (b"MSH", b"FHS", b"BHS") and head[3:4] not in (b"", b"\n")


def split_messages(name: str, data: bytes) -> list[_Raw]:
    """Cut a file into messages at each MSH; any of CR, LF, CRLF ends a segment."""
    text = data.removeprefix(b"\xef\xbb\xbf").replace(b"\x0b", b"").replace(b"\x1c", b"")
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
    """The state replayed so far, and the message being applied on top of it."""

    def __init__(self, options: Hl7Options) -> None:
        self.options = options
        self.result = Hl7Result()
        self.state: dict[tuple[str, str], Record] = {}
        self.merged: dict[str, str] = {}  # merged IPP → surviving IPP (A40)
        self.history: dict[str, list[tuple[str, str, str]]] = {}  # NDA → earlier locations

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
        ctx = _Ctx(self, raw, mtype, control)
        try:
            msg = hl7.parse(text)
            msh = msg.segment("MSH")
            kind, trigger = get(msh, 9, 1).upper(), get(msh, 9, 2).upper()
            handler = EVENTS.get((kind, trigger))
            if handler is None:
                raise Refused(f"type de message « {kind}^{trigger} » non pris en charge "
                              f"({SUPPORTED})")
            handler(Message(ctx, list(msg), trigger, self.options))
            if not ctx.pending and not ctx.partial:
                raise Refused("aucun enregistrement exploitable dans le message")
        except (Refused, RecordError, ValueError) as exc:
            self._refuse(raw, mtype, control, str(exc))  # nothing of it is applied
            return
        ctx.commit(f"{kind}^{trigger}")

    def _refuse(self, raw: _Raw, mtype: str, control: str, reason: str, kept: str = "") -> None:
        self.result.rejections.append(
            Hl7Rejection(raw.file, raw.number, raw.line, mtype, control, reason, kept))


class _Ctx:
    """One message being applied: its changes stay pending until the whole message is read."""

    def __init__(self, imp: _Importer, raw: _Raw, mtype: str, control: str):
        self.imp, self.raw, self.mtype, self.control = imp, raw, mtype, control
        self.pending: dict[tuple[str, str], Record | None] = {}  # None: removed
        self.partial: list[str] = []
        self.merges: dict[str, str] = {}
        self.history: dict[str, list[tuple[str, str, str]]] = {}
        self.cleaned: Counter[str] = Counter()  # counted when the message is applied

    def lookup(self, kind: str, rid: str) -> Record | None:
        key = (kind, rid)
        return self.pending[key] if key in self.pending else self.imp.state.get(key)

    def put(self, record: Record) -> None:
        data, cleaned = clean_data(record.to_dict())  # control/bidi characters: never printed
        record = record_from_dict(data)  # the same checks as the station's
        self.pending[(record.TYPE, record.id)] = record
        if cleaned:
            self.cleaned[record.TYPE] += cleaned

    def delete(self, kind: str, rid: str) -> None:
        if self.lookup(kind, rid) is not None:
            self.pending[(kind, rid)] = None

    def note(self, text: str) -> None:
        self.partial.append(text)

    def locations(self, nda: str) -> list[tuple[str, str, str]]:
        if nda not in self.history:
            self.history[nda] = list(self.imp.history.get(nda, []))
        return self.history[nda]

    def resolve(self, ipp: str) -> str:
        """The surviving IPP of a merged one (A40), else the IPP itself."""
        seen = set()
        while ipp in {**self.imp.merged, **self.merges} and ipp not in seen:
            seen.add(ipp)
            ipp = self.merges.get(ipp) or self.imp.merged[ipp]
        return ipp

    def with_ipp(self, ipp: str) -> list[Record]:
        """Every record (pending or replayed) that belongs to ``ipp``."""
        keys = {k for k, r in self.imp.state.items() if getattr(r, "ipp", None) == ipp}
        keys |= {k for k, r in self.pending.items() if r is not None
                 and getattr(r, "ipp", None) == ipp}
        return [r for k in sorted(keys) if (r := self.lookup(*k)) is not None]

    def try_add(self, what: str, build) -> None:
        """Map one part of the message; a failure leaves it out alone, naming the segment."""
        try:
            record = build()
            if record is not None:
                self.put(record)
        except (Refused, RecordError, ValueError) as exc:
            self.partial.append(f"{what} : {exc}")

    def commit(self, event: str) -> None:
        state = self.imp.state
        for key, record in self.pending.items():
            if record is None:
                state.pop(key, None)
            else:
                state[key] = record
        self.imp.history.update(self.history)
        self.imp.merged.update(self.merges)
        self.imp.result.events[event] += 1
        self.imp.result.cleaned.update(self.cleaned)
        if self.partial:
            kept = self.kept()
            for reason in self.partial:
                self.imp._refuse(self.raw, self.mtype, self.control, reason, kept)

    def kept(self) -> str:
        """What the message applied, in French: ``patient 900123, séjour NDA77, allergies : 2``."""
        done = Counter(k[0] for k, r in self.pending.items() if r is not None)
        removed = sum(1 for r in self.pending.values() if r is None)
        parts = []
        for kind, count in done.items():
            ids = [k[1] for k, r in self.pending.items() if k[0] == kind and r is not None]
            one = {"patient": "patient", "stay": "séjour"}.get(kind)
            parts.append(f"{one} {ids[0]}" if one and count == 1
                         else f"{TYPE_LABELS_FR.get(kind, kind)} : {count}")
        if removed:
            parts.append(f"suppressions : {removed}")
        return ", ".join(parts)  # "": nothing applied, the lines read as refusals
