"""The package's layers (pyproject's import-linter contract): every module imports only from the layers below it."""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_contract_is_kept():
    r = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                        "sys.exit(lint_imports())"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_no_module_is_in_an_import_cycle():
    # Imports inside functions count: grimp sees them as it sees the ones at the top.
    graph = grimp.build_graph("trajectories", cache_dir=None)
    modules = sorted(graph.modules - {"trajectories"})
    cycles = [(a, b) for a in modules for b in modules
              if a < b and graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)]
    assert cycles == []
