"""HL7 v2 messages built field by field: a French ADT header, a patient, a visit."""

from __future__ import annotations

from pathlib import Path

from tests.support.pam import seg

MSH = "MSH|^~\\&|DPI|CHD|SAUVEGARDE|CHD|{ts}||{type}|{ctl}|P|2.5|||||FRA|{charset}"


PID = seg("PID", {1: "1", 3: "900123^^^CHD^PI~123456789012311^^^ASIP-SANTE-INS-NIR"
                              "&1.2.250.1.213.1.4.8&ISO^INS",
                  5: "LÉGER^Hélène^Marie^^^^L~DUPRÉ^Hélène^^^^^D", 7: "19480309", 8: "F",
                  11: "^^^^^^BDL^^75056", 32: "VALI"})


def message(mtype: str, ctl: str, *segments: str, charset: str = "UNICODE UTF-8",
             ts: str = "202611271000") -> str:
    return "\r".join([MSH.format(ts=ts, type=mtype, ctl=ctl, charset=charset), *segments])


def visit(unit="CARDIO", room="12", bed="A", nda="NDA77", admit="202611250830", discharge=""):
    return seg("PV1", {1: "1", 2: "I", 3: f"{unit}^{room}^{bed}", 7: "0000123^Cœur^Étienne^^^Dr",
                       19: nda, 44: admit, 45: discharge})


def write_messages(tmp_path: Path, name: str, *messages: str, sep: str = "\r",
           encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(sep.join(m.replace("\r", sep) for m in messages).encode(encoding) + b"\n")
    return path
