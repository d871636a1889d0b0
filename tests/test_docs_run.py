"""Every code block of the operator guides runs; generated tables match the code."""

from __future__ import annotations

import re
import socket

import pytest

from pcsauvegarde.cli import docgen
from pcsauvegarde.publisher.publisher import load_publisher_config
from pcsauvegarde.station.settings import load_settings
from tests.support.docs_runner import DOCS, KINDS, blocks, run_page

RUNNABLE = ["publisher-toml.md", "unites-et-domaines.md", "roles.md", "exploitation.md",
            "depot-https.md", "imprimante-cups.md", "ressaisie.md"]


@pytest.mark.parametrize("page", RUNNABLE)
def test_every_block_is_runnable(page):
    found = blocks(page)
    assert found, page
    assert {kind for kind, _ in found} <= KINDS, (page, {kind for kind, _ in found})


@pytest.mark.parametrize("name", list(docgen.GENERATED))
def test_generated_tables_are_up_to_date(name):
    file, make = docgen.GENERATED[name]
    part = docgen.generated_part((DOCS / file).read_text(encoding="utf-8"), name)
    assert part == make(), f"docs/{file} : lancer « python -m pcsauvegarde.cli.docgen »"


def test_publisher_toml_reference_lists_exactly_the_validated_keys():
    from pcsauvegarde.publisher.config import HL7_KEYS, STATION_KEYS, TOP_KEYS

    table = docgen.publisher_keys()
    documented = set(re.findall(r"^\| `([a-z0-9_.]+)`", table, re.M))
    assert documented == ({k.name for k in TOP_KEYS} | {f"hl7v2.{k.name}" for k in HL7_KEYS}
                          | {f"stations.{k.name}" for k in STATION_KEYS})


def test_toml_examples_load(tmp_path):
    for page in RUNNABLE:
        for kind, code in blocks(page):
            if kind == "toml publisher":
                path = tmp_path / "publisher.toml"
                path.write_text(code, encoding="utf-8")
                assert load_publisher_config(path).stations, page
            elif kind == "toml station":
                (tmp_path / "station.toml").write_text(code, encoding="utf-8")
                load_settings(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("page", ["exploitation.md", "publisher-toml.md",
                                  "unites-et-domaines.md", "roles.md", "depot-https.md",
                                  "ressaisie.md"])
def test_shell_blocks_run(page, tmp_path):
    env = {"ADRESSE_DEPOT": "127.0.0.1", "HOTE_DEPOT": "127.0.0.1",
           "PORT_DEPOT": str(_free_port())}
    result = run_page(page, tmp_path, env)
    assert result.returncode == 0, result.stdout[-4000:]


def test_readme_links_every_doc_and_the_changelog():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)]+\.md|CHANGELOG\.md)\)", readme))
    missing = {f"docs/{p.name}" for p in DOCS.glob("*.md")} - linked
    assert not missing, f"README.md : ajouter un lien vers {sorted(missing)}"
    assert "CHANGELOG.md" in linked and (DOCS.parent / "CHANGELOG.md").is_file()
