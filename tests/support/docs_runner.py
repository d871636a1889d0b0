"""Run the code blocks of the operator guides in docs/, so the guides cannot drift.

Blocks are fenced with ```sh (run with bash, ``set -euo pipefail``, in the order of the page,
after the sandbox of docs/exploitation.md), ```toml publisher or ```toml station (validated
by the same loader as the real file). Any other kind of block in these pages is an error.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.S | re.M)
KINDS = {"sh", "toml publisher", "toml station"}
SANDBOX_PAGE = "exploitation.md"


def blocks(page: str) -> list[tuple[str, str]]:
    """(kind, code) of every fenced block of a page of docs/."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [(kind.strip(), code) for kind, code in BLOCK.findall(text)]


def sandbox() -> str:
    """The first shell block of exploitation.md: the practice station every guide runs on."""
    return next(code for kind, code in blocks(SANDBOX_PAGE) if kind == "sh")


def run_page(page: str, tmp: Path, env: dict[str, str] | None = None,
             timeout: int = 240) -> subprocess.CompletedProcess:
    """Run the sandbox then the page's shell blocks in one bash; the whole group is killed
    at the end (a block may start a server in the background)."""
    shell = [code for kind, code in blocks(page) if kind == "sh"]
    if page != SANDBOX_PAGE:
        shell = [sandbox(), *shell]
    script = "set -euo pipefail\n" + "\n".join(shell)
    venv_bin = str(Path(sys.executable).parent)
    full_env = {k: v for k, v in os.environ.items() if k != "PCSAUVEGARDE_DATA"}
    full_env.update({"PATH": f"{venv_bin}:/usr/sbin:/sbin:{os.environ.get('PATH', '')}",
                     "TMPDIR": str(tmp), "HOME": str(tmp), "LC_ALL": "C.UTF-8", **(env or {})})
    proc = subprocess.Popen(["bash", "-c", script], cwd=tmp, env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, "")
