"""Interop with the real ``gzip``, ``age`` and ``minisign`` command-line tools."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pcsauvegarde.core.package import age, minisign, open_package, read_package, write_package
from tests.support.records import manifest, sample_records

RECIPE = Path(__file__).parents[1] / "vectors" / "package" / "make-package.sh"
needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("age", "age-keygen", "minisign", "gzip")),
    reason="the age/minisign command-line tools are not installed (apt-get install age minisign)")


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=30, **kw)


@needs_tools
def test_package_made_with_cli_tools_opens(tmp_path):
    run("age-keygen", "-o", str(tmp_path / "station.key"))
    run("minisign", "-G", "-W", "-p", str(tmp_path / "pub"), "-s", str(tmp_path / "sec"))
    secret = minisign.load_secret_key(tmp_path / "sec")  # minisign's own -W key file reads
    assert secret.public_key == minisign.load_public_key(tmp_path / "pub")
    recipient = run("age-keygen", "-y", str(tmp_path / "station.key")).stdout.strip()
    (tmp_path / "recipients.txt").write_text(recipient + "\n")
    m = manifest(station="st-cli", sequence=7, counts={"patient": 3, "medication_order": 3})
    lines = [m.to_dict(), *[r.to_dict() for r in sample_records()]]
    plain = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines)
    (tmp_path / "plain.ndjson").write_text(plain, encoding="utf-8")
    out = tmp_path / "drop"
    out.mkdir()
    made = run("sh", str(RECIPE), str(tmp_path / "plain.ndjson"), "st-cli", "dpi", "full", "7",
               str(tmp_path / "recipients.txt"), str(tmp_path / "sec"), str(out)).stdout.strip()
    assert Path(made).name == "st-cli.dpi.full.0000000007.age"
    assert sorted(p.name for p in out.iterdir()) == [Path(made).name, Path(made).name + ".minisig"]
    got_manifest, items = read_package(made, [minisign.load_public_key(tmp_path / "pub")],
                                       age.load_identity(tmp_path / "station.key"),
                                       station="st-cli")
    assert got_manifest == m and items == sample_records()


@needs_tools
def test_package_sealed_here_opens_with_cli_tools(tmp_path):
    key, ident = minisign.generate_keypair(), age.generate_identity()
    minisign.save_keypair(key, tmp_path / "sec", tmp_path / "pub")
    age.save_identity(ident, tmp_path / "station.key")
    path = write_package(tmp_path, manifest(), sample_records(), [age.public_key_of(ident)], key)
    plain = run("sh", "-c", f"age -d -i '{tmp_path}/station.key' '{path}' | gzip -d").stdout
    assert json.loads(plain.splitlines()[0])["sequence"] == 42
    verified = run("minisign", "-Vm", str(path), "-p", str(tmp_path / "pub"))
    assert "file:" + path.name in verified.stdout
    run("minisign", "-Vm", str(path), "-x", f"{path}.minisig", "-p", str(tmp_path / "pub"))
    run("minisign", "-Vm", str(path), "-P", key.public_key.to_line())
    # The secret key file we write is usable by minisign itself, and we read what it signs.
    (tmp_path / "other").write_bytes(b"x")
    run("minisign", "-S", "-s", str(tmp_path / "sec"), "-m", str(tmp_path / "other"))
    minisign.verify(b"x", (tmp_path / "other.minisig").read_text(), [key.public_key])
    assert open_package(path, [key.public_key], ident).manifest.sequence == 42
