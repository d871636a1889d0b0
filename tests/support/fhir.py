"""Small FHIR test resources and files."""

from __future__ import annotations

import json
from pathlib import Path

IPP = "urn:oid:1.2.250.1.999.1.1.1"


def ndjson_file(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    "utf-8")
    return path


def patient_resource(pid: str = "p1", ipp: str = "12345678", **extra: object) -> dict:
    return {"resourceType": "Patient", "id": pid, "identifier": [{"system": IPP, "value": ipp}],
            "name": [{"use": "official", "family": "Lefèvre", "given": ["Hélène", "Zoé"]}],
            "gender": "female", "birthDate": "1950-02-03", **extra}
