"""Running and summarising measurements: one fresh process per run, medians with min and max, interleaving."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BASE_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764115200"}
# The project's own switches: a benchmark sets each one it needs, whatever the caller's shell has.
CLEARED = (
    "SCR_PDF",
    "SCR_PDF_WORKERS",
    "SCR_PDF_CACHE",
    "SCR_BRIEFINGS",
    "SITE_URL",
    "SCR_OFFLINE_ZIP",
    "SCR_OFFLINE_COPY",
    "SCR_TODAY",
    "SCR_CMS",
)
PDF_LINE = re.compile(r"PDFs: (\d+) rendered, (\d+) reused from cache \(([\d.]+) s\)")
STARTED = time.monotonic()
ROUNDS = 5  # runs of each variant, unless the time budget says otherwise (then the report says so)
DEADLINE = 420.0  # seconds after the start: no optional round starts if it would end later


@dataclass
class Run:
    """One measured process: wall time, CPU time, peak memory of the process tree, and its log."""

    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    returncode: int
    log: str

    def pdfs(self) -> tuple[int, int, float] | None:
        """PDFs rendered, PDFs reused and the PDF step's seconds, from the hook's log line (None without PDFs)."""
        match = PDF_LINE.search(self.log)
        return (int(match.group(1)), int(match.group(2)), float(match.group(3))) if match else None


@dataclass
class Series:
    """Repeated measurements of one thing."""

    name: str
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def cell(self, unit: str = "s", digits: int = 2) -> str:
        """'1.23 s (1.20–1.31)': median, then min and max ('(1 run)' when there is only one)."""
        lo, hi = min(self.values), max(self.values)
        spread = f"{lo:.{digits}f}–{hi:.{digits}f}" if len(self.values) > 1 else "1 run"
        return f"{self.median:.{digits}f}{unit} ({spread})"


def progress(message: str) -> None:
    """One line on stderr with the time since the benchmark started."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def environment(extra: dict | None = None) -> dict:
    """This process's environment without the project's switches, plus BASE_ENV and `extra`."""
    kept = {name: value for name, value in os.environ.items() if name not in CLEARED}
    return {**kept, **BASE_ENV, **(extra or {})}


def run_measured(args: list[str], cwd: Path, env: dict | None = None, check: bool = True) -> Run:
    """Run a command in a fresh process; os.wait4 gives that process's own rusage (peak RSS of it and its children)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=environment(env))
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    run = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, text)
    if check and run.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd}:\n{text[-3000:]}")
    return run


def mkdocs_build(project: Path, config: str, site_dir: Path, env: dict | None = None, strict: bool = True) -> Run:
    """`mkdocs build` of one config file in a fresh process. Without the web editor (SCR_CMS=0): a snapshot has no
    fetched editor, and the editor is no page of the site (README, "Editing in the browser")."""
    args = [PYTHON, "-m", "mkdocs", "build", "--config-file", config, "--site-dir", str(site_dir)]
    return run_measured(args + (["--strict"] if strict else []), project, {"SCR_CMS": "0", **(env or {})})


def elapsed() -> float:
    return time.monotonic() - STARTED


def interleave(
    variants: dict[str, Callable[[], Run]],
    label: str,
    wanted: int = ROUNDS,
    minimum: int = ROUNDS,
    deadline: float = DEADLINE,
) -> dict[str, list[Run]]:
    """Run each variant once per round, A, B, A, B, ..., so both see the same machine load.

    Rounds beyond `minimum` are only started if they should end before `deadline` (seconds after the start).
    """
    results: dict[str, list[Run]] = {name: [] for name in variants}
    started = time.monotonic()
    for index in range(wanted):
        if index >= minimum and elapsed() + (time.monotonic() - started) / index > deadline:
            progress(f"{label}: stopping after {index} round(s) to stay within the time budget")
            break
        for name, measure in variants.items():
            results[name].append(measure())
        times = ", ".join(f"{name} {done[-1].seconds:.2f} s" for name, done in results.items())
        progress(f"{label}: round {index + 1}/{wanted}: {times}")
    return results


def series(name: str, runs: list[Run], attr: str = "seconds") -> Series:
    return Series(name, [getattr(run, attr) for run in runs])


def ratios(name: str, numerators: list[Run], denominators: list[Run], attr: str = "seconds") -> Series:
    """Per-round ratios of interleaved runs (round i of A over round i of B), of wall time or another figure."""
    pairs = zip(numerators, denominators, strict=True)
    return Series(name, [getattr(a, attr) / getattr(b, attr) for a, b in pairs])
