"""Builders for IHE PAM France test messages (PID with INS, PV1, ZBE) and their files."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.importers.hl7v2.importer import Hl7Result, import_hl7

HOSPITAL = "CHD&1.2.250.1.999.1.1.1&ISO"  # the hospital's patient index (IPP authority)
OPTIONS = Hl7Options(ipp_authorities=("1.2.250.1.999.1.1.1",))
NIR = "269029934173285"          # valid key
NIA = "712345678901220"          # NIA (starts with 7), valid key
CORSICA = "284022B01234557"      # department 2B
TEST_NIR = "155129912345637"     # under the test OID
INVALID = "987654321654321"      # 15 digits, wrong first digit and key
INS_NIR = "ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS"
INS_NIA = "ASIP-SANTE-INS-NIA&1.2.250.1.213.1.4.9&ISO^INS"
INS_C = "ASIP-SANTE-INS-C&1.2.250.1.213.1.4.2&ISO^NH"


def seg(name: str, fields: dict[int, str]) -> str:
    """A segment with the given fields at their HL7 positions (others empty)."""
    return "|".join([name] + [fields.get(n, "") for n in range(1, max(fields) + 1)])


def msh(mtype: str, ctl: str, ts: str = "202611271000", version: str = "2.5") -> str:
    return (f"MSH|^~\\&|DPI|CHD|SAUVEGARDE|CHD|{ts}||{mtype}|{ctl}|P|{version}|||||FRA|"
            "UNICODE UTF-8|||2.10^IHE_FR^PAM")


def pid(ipp: str = "900123", ins: str = NIR, ins_authority: str = INS_NIR,
        name: str = "DUPONT^JEAN PHILIPPE^JEAN PHILIPPE^^^^L", birth: str = "19690227",
        sex: str = "M", status: str = "VALI", extra_ids: str = "", **more: str) -> str:
    ids = f"{ipp}^^^{HOSPITAL}^PI" if ipp else ""
    if ins:
        ids += f"~{ins}^^^{ins_authority}"
    if extra_ids:
        ids = f"{extra_ids}~{ids}" if ids else extra_ids
    fields = {1: "1", 3: ids.strip("~"), 5: name, 7: birth, 8: sex, 32: status}
    fields.update({int(k[1:]): v for k, v in more.items()})
    return seg("PID", fields)


def pv1(nda: str = "NDA77", unit: str = "CARDIO^12^A", klass: str = "I",
        admit: str = "202611250830", discharge: str = "", **more: str) -> str:
    fields = {1: "1", 2: klass, 3: unit, 7: "0000123^CŒUR^Étienne^^^Dr",
              19: f"{nda}^^^{HOSPITAL}^AN" if nda else "", 44: admit, 45: discharge}
    fields.update({int(k[1:]): v for k, v in more.items()})
    return seg("PV1", fields)


def zbe(movement: str = "MVT1", at: str = "202611250830", action: str = "INSERT",
        historic: str = "N", original: str = "", unit: str = "^^^^^^UF^^SI7771^7771") -> str:
    return seg("ZBE", {1: f"{movement}^CHD", 2: at, 4: action, 5: historic, 6: original,
                       7: unit, 9: "HMS"})


def adt(event: str, ctl: str, *segments: str, at: str = "202611250830") -> str:
    return "\r".join([msh(f"ADT^{event}^ADT_A01", ctl), f"EVN||{at}|||||{at}", *segments])


def run(tmp_path: Path, *messages: str, options: Hl7Options = OPTIONS,
        name: str = "pam.hl7", sep: str = "\r", framing: str = "") -> Hl7Result:
    """Write the messages to one file (``mllp`` framing optional) and import it."""
    path = tmp_path / name
    if framing == "mllp":
        data = b"".join(b"\x0b" + m.replace("\r", sep).encode() + b"\x1c\r" for m in messages)
    else:
        data = sep.join(m.replace("\r", sep) for m in messages).encode() + b"\n"
    path.write_bytes(data)
    return import_hl7([path], options)


def only(result: Hl7Result, kind: str):
    (record,) = result.of_type(kind)
    return record
