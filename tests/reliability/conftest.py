"""Helpers for the reliability tests: the bench scripts they drive, imported or run as processes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def bench_module(name: str) -> ModuleType:
    """A bench script as a module (bench/ is not a package)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_bench(script: str, args: list[str], result: Path, timeout: float) -> tuple[int, str, dict]:
    """Run ``bench/<script>.py`` in its own interpreter; (exit status, its output, the figures it wrote)."""
    proc = subprocess.run([sys.executable, str(BENCH / f"{script}.py"), *args, "--json", str(result)],
                          capture_output=True, text=True, timeout=timeout)
    figures = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
    return proc.returncode, proc.stdout + proc.stderr, figures


@pytest.fixture
def crash_bench() -> ModuleType:
    return bench_module("crash")


@pytest.fixture
def stress_bench() -> ModuleType:
    return bench_module("stress_editors")
