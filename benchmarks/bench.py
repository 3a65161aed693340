"""`make bench`: what the build hook costs, measured against stock Material; writes benchmarks/RESULTS.md.

Every build runs in a fresh process on a snapshot of the project (so others' edits cannot skew it). Every timing
is the median, with min and max, of runs interleaved A, B, A, B, ... in this session; ratios are taken round by
round. Where a run is too slow for five rounds in the ten-minute budget, the report says how many it had.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import harness as h
import search_bench
import serve_loop
import sitegen
import weight
from harness import Run, Series, progress, ratios, series

RESULTS = Path(__file__).with_name("RESULTS.md")
SIZES = (250, 500, 1000)  # generated notes; plus a fifth as many FAQ questions and a twentieth as many themes
OVERHEAD_ROUNDS = 9  # builds of the real site take about a second: more rounds, a steadier median on a busy machine
COLD_ROUNDS = 2  # a cold round (parallel and serial) takes about 30 to 40 s
HARD_LIMIT = 570.0  # seconds: nothing starts that is expected to end later (the whole run must stay under 600)
NO_PDF = {"SCR_PDF": "0"}
RATIO_GOALS = ("overhead", "scale-ratio")  # the goals on build time against stock Material


@dataclass
class Goal:
    key: str
    goal: str
    result: str
    met: bool
    measured: bool = True  # False: the run had no time for it; reported as such, never as met

    @property
    def verdict(self) -> str:
        return "met" if self.met else ("not measured" if not self.measured else "missed")


@dataclass
class Section:
    """One numbered part of the report: how it was measured, a table, the goals it checks, notes."""

    title: str
    method: str
    header: list[str]
    rows: list[list[str]]
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def markdown(self) -> str:
        parts = [f"## {self.title}", self.method, table(self.header, self.rows)]
        parts += [
            f"Goal: {g.goal}. Result: {g.result}: **{g.verdict.upper() if not g.met else 'met'}**." for g in self.goals
        ]
        return "\n\n".join(parts + self.notes)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


# Machine


def command_output(args: list[str]) -> str | None:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10, check=True).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def proc_field(path: str, name: str) -> str:
    for line in Path(path).read_text().splitlines():
        if line.startswith(name):
            return line.split(":", 1)[1].strip()
    return "unknown"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, str]:
    """The details a reader needs to compare these figures with another run."""
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Git commit": command_output(["git", "rev-parse", "--short", "HEAD"]) or "not available",
        "CPU": proc_field("/proc/cpuinfo", "model name"),
        "Cores": str(os.cpu_count()),
        "Memory": f"{int(proc_field('/proc/meminfo', 'MemTotal').split()[0]) / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "MkDocs": metadata.version("mkdocs"),
        "Material for MkDocs": metadata.version("mkdocs-material"),
        "WeasyPrint": metadata.version("weasyprint"),
        "Load average at start (1, 5, 15 min)": load(),
    }


# Helpers shared by the parts


def html_pages(site: Path) -> int:
    """The site's pages (not the 404 page, nor the web editor at admin/, which is no page of the site)."""
    return sum(
        1
        for path in site.rglob("*.html")
        if path.name != "404.html" and not path.relative_to(site).as_posix().startswith("admin/")
    )


def nav_items(site: Path) -> int:
    """Items in the navigation Material renders into every page (counted on the home page)."""
    return (site / "index.html").read_text(encoding="utf-8").count('class="md-nav__item')


def index_bytes(site: Path) -> int:
    return (site / "search" / "search_index.json").stat().st_size


def per_page(runs: list[Run], pages: int) -> Series:
    return Series("ms/page", [run.seconds * 1000 / pages for run in runs])


def round_seconds(runs: dict[str, list[Run]]) -> float:
    """Median seconds of one round: all variants' runs added up, per round."""
    return sum(Series("", [run.seconds for run in done]).median for done in runs.values())


def rounds_note(runs: list[Run], wanted: int = h.ROUNDS) -> str:
    return "" if len(runs) >= wanted else f" ({len(runs)} {'round' if len(runs) == 1 else 'rounds'}, not {wanted})"


def fits(seconds: float, slack: float = 0.0) -> bool:
    """True if something expected to take `seconds` should end before the deadline (plus `slack`)."""
    return h.elapsed() + seconds <= h.DEADLINE + slack


# 1. Hook overhead


def hook_overhead(snap: Path, work: Path) -> Section:
    """HTML-only build of the real site with the hook, against stock Material over the same Markdown."""
    sites = {"ours": work / "site-ours", "stock": work / "site-stock"}
    variants = {
        "ours": lambda: h.mkdocs_build(snap, sitegen.OURS, sites["ours"], NO_PDF),
        "stock": lambda: h.mkdocs_build(snap, sitegen.STOCK, sites["stock"], strict=False),
    }
    for build in variants.values():  # warm-up: byte-compiles the snapshot's hook, fills the OS file cache
        build()
    runs = h.interleave(variants, "1 hook overhead", wanted=OVERHEAD_ROUNDS, minimum=OVERHEAD_ROUNDS)
    rows = [
        overhead_row("Ours (hook, `--strict`, SCR_PDF=0)", runs["ours"], sites["ours"]),
        overhead_row("Stock Material (no hook)", runs["stock"], sites["stock"]),
    ]
    ratio = ratios("", runs["ours"], runs["stock"])
    cpu = ratios("", runs["ours"], runs["stock"], "cpu_seconds").cell("×")
    rows.append(["**Ratio ours / stock** (per round)", ratio.cell("×"), cpu, "", "", "", "", ""])
    return Section(
        "1. Hook overhead: HTML-only build of the real site",
        f"`mkdocs build` in a fresh process per run (after one unmeasured warm-up build of each), {OVERHEAD_ROUNDS} "
        "rounds interleaved ours, stock, ours, stock, ... Stock is our mkdocs.yml with `hooks: []` and "
        "`strict: false`: the same docs, theme, overrides and Markdown extensions; its warnings (the register page "
        "the hook generates is missing) are allowed. Both build the same pages: FAQ question files stay excluded "
        "(in ours their Markdown becomes the FAQ page).",
        ["Build", "Wall time", "CPU time", "Peak memory", "Pages", "Nav items/page", "Wall ms/page", "Search index"],
        rows,
        [Goal("overhead", "1. Hook overhead, real site: ratio to stock ≤ 1.2", ratio.cell("×"), ratio.median <= 1.2)],
        data={
            "sites": sites,
            "html_seconds": series("", runs["ours"]).median,
            "nav": {name: nav_items(site) for name, site in sites.items()},
        },
    )


def overhead_row(label: str, runs: list[Run], site: Path) -> list[str]:
    return [
        label,
        series("", runs).cell(" s"),
        series("", runs, "cpu_seconds").cell(" s"),
        series("", runs, "max_rss_mb").cell(" MB", 0),
        str(html_pages(site)),
        str(nav_items(site)),
        per_page(runs, html_pages(site)).cell(" ms", 1),
        f"{index_bytes(site) / 1024:.0f} KiB",
    ]


# 2. Scale


def scale_projects(snap: Path, work: Path) -> dict[int, Path]:
    """A copy of the project per size, with generated notes, FAQ questions and themes."""
    projects = {}
    for size in SIZES:
        project = work / f"scale-{size}"
        shutil.copytree(snap, project)
        sitegen.add_pages(project, size, size // 5, size // 20)
        projects[size] = project
    return projects


def scale_runs(project: Path, work: Path, size: int, minimum: int, deadline: float = h.DEADLINE) -> dict:
    """Interleaved HTML-only builds of one scaled copy, ours and stock; rounds past `minimum` as time allows."""
    sites = {"ours": work / f"site-scale-{size}-ours", "stock": work / f"site-scale-{size}-stock"}
    runs = h.interleave(
        {
            "ours": lambda: h.mkdocs_build(project, sitegen.SCALED, sites["ours"], NO_PDF),
            "stock": lambda: h.mkdocs_build(project, sitegen.SCALED_STOCK, sites["stock"], strict=False),
        },
        f"2 scale {size}",
        minimum=minimum,
        deadline=deadline,
    )
    return {
        "runs": runs,
        "pages": {name: html_pages(site) for name, site in sites.items()},
        "nav": {name: nav_items(site) for name, site in sites.items()},
        "index": {name: index_bytes(site) for name, site in sites.items()},
    }


def round_estimate(result: dict, size: int, other: int) -> float:
    """Seconds for one round (ours and stock) at `other` pages, from the rounds at `size`.

    Quadratic, because Material renders the whole nav into every page.
    """
    return round_seconds(result["runs"]) * (other / size) ** 2


def measure_scale(projects: dict[int, Path], work: Path) -> dict[int, dict]:
    """Five rounds at the smallest size; at least one at each larger size, more only if the time budget allows.

    A size is skipped only if even one round, estimated from the last size measured, would end after HARD_LIMIT.
    """
    results = {SIZES[0]: scale_runs(projects[SIZES[0]], work, SIZES[0], h.ROUNDS)}
    for index, size in enumerate(SIZES[1:], start=1):
        last = max(results)
        estimate = round_estimate(results[last], last, size)
        later = sum(round_estimate(results[last], last, other) for other in SIZES[index + 1 :])
        if fits(estimate, slack=HARD_LIMIT - h.DEADLINE):
            results[size] = scale_runs(projects[size], work, size, 1, deadline=h.DEADLINE - later)
        else:
            progress(f"2 scale {size}: skipped: about {estimate:.0f} s would overrun the ten-minute limit")
    return results


def scale_goals(ratio: dict, growth: dict, small: int, large: int) -> list[Goal]:
    """The scale goals are set at the largest size; a run that had no time for it says so instead."""
    target = SIZES[-1]
    if large != target:
        skipped = f"not measured: the {target}-note build did not fit in the time budget (largest measured: {large})"
        return [
            Goal("scale-ratio", f"2. Scale: ratio to stock ≤ 1.2 at {target} notes", skipped, False, measured=False),
            Goal(
                "linear",
                f"2. Scale, linear: ms/page at {target} notes ≤ 1.25 × ms/page at {small}",
                skipped,
                False,
                measured=False,
            ),
        ]
    return [
        Goal(
            "scale-ratio",
            f"2. Scale: ratio to stock ≤ 1.2 at {large} notes",
            ratio[large].cell("×"),
            ratio[large].median <= 1.2,
        ),
        Goal(
            "linear",
            f"2. Scale, linear: ms/page at {large} notes ≤ 1.25 × ms/page at {small}",
            f"ours {growth['ours']:.2f}×, stock Material {growth['stock']:.2f}×",
            growth["ours"] <= 1.25,
        ),
    ]


def scale_section(results: dict[int, dict]) -> Section:
    rows, ratio, per = [], {}, {}
    for size, result in results.items():
        runs, pages = result["runs"], result["pages"]
        ratio[size] = ratios("", runs["ours"], runs["stock"])
        per[size] = {name: per_page(runs[name], pages[name]) for name in runs}
        rows.append(scale_row(size, result, ratio[size], per[size]))
    small, large = min(results), max(results)
    growth = {name: per[large][name].median / per[small][name].median for name in ("ours", "stock")}
    rounds = ", ".join(f"{len(result['runs']['ours'])} at {size}" for size, result in results.items())
    return Section(
        "2. Scale: generated pages",
        "A copy of the project per size with generated practice notes (front matter with every governance field, "
        "about 300 words in four sections with a list, abbreviations, links to other pages and to anchors), FAQ "
        "question files and practice themes (card and governance fields, the five sections). The notes are in "
        "`nav`, in sections of 50; themes join the nav through the hook. HTML only (SCR_PDF=0), interleaved ours, "
        f"stock. Rounds: {rounds}. Five rounds are not possible at the larger sizes: Material's build time grows "
        f"with the square of the page count, one round (ours and stock) at {large} notes took "
        f"{round_seconds(results[large]['runs']):.0f} s here, and five would take most of the ten-minute budget; so "
        "the larger sizes get one round each, and more only when the budget allows.",
        [
            "Size",
            "Pages ours / stock",
            "Nav items per page ours / stock",
            "Ours",
            "Stock",
            "Ratio (per round)",
            "CPU-time ratio",
            "Ours ms/page",
            "Stock ms/page",
            "Hook's cost per page (ours − stock)",
            "Peak memory ours / stock",
            "Search index ours / stock",
        ],
        rows,
        scale_goals(ratio, growth, small, large),
        data={"growth": growth, "nav": results[large]["nav"], "large": large},
    )


def scale_row(size: int, result: dict, ratio: Series, per: dict[str, Series]) -> list[str]:
    runs, pages, index = result["runs"], result["pages"], result["index"]
    memory = [series("", runs[name], "max_rss_mb").cell(" MB", 0) for name in ("ours", "stock")]
    return [
        f"{size} notes + {size // 5} FAQ + {size // 20} themes{rounds_note(runs['ours'])}",
        f"{pages['ours']} / {pages['stock']}",
        f"{result['nav']['ours']} / {result['nav']['stock']}",
        series("", runs["ours"]).cell(" s", 1),
        series("", runs["stock"]).cell(" s", 1),
        ratio.cell("×"),
        ratios("", runs["ours"], runs["stock"], "cpu_seconds").cell("×"),
        per["ours"].cell(" ms", 1),
        per["stock"].cell(" ms", 1),
        f"{per['ours'].median - per['stock'].median:+.1f} ms",
        " / ".join(memory),
        f"{index['ours'] / 1024:.0f} / {index['stock'] / 1024:.0f} KiB",
    ]


# 3. PDFs


def pdf_env(cache: Path, **extra: str) -> dict:
    return {"SCR_PDF": "1", "SCR_PDF_CACHE": str(cache), **extra}


def pdf_row(label: str, runs: list[Run]) -> list[str]:
    """Wall time, CPU time of all processes, PDFs rendered/reused and the PDF step's time (the hook's log line)."""
    logs = [run.pdfs() for run in runs]
    counts = " / ".join(sorted({f"{log[0]} rendered, {log[1]} reused" for log in logs if log})) or "none"
    steps = Series("", [log[2] for log in logs if log])
    return [
        label,
        series("", runs).cell(" s"),
        series("", runs, "cpu_seconds").cell(" s"),
        counts,
        steps.cell(" s", 1) if steps.values else "–",
        series("", runs, "max_rss_mb").cell(" MB", 0),
    ]


PDF_HEADER = ["Build", "Wall time", "CPU time (all processes)", "PDFs", "PDF step (hook's log)", "Peak memory"]


def pdf_cold(snap: Path, work: Path) -> Section:
    """Cold builds with every PDF: the hook's parallel rendering against one PDF after another (SCR_PDF_WORKERS=1)."""
    caches: list[Path] = []

    def cold(**extra: str) -> Run:
        caches.append(Path(tempfile.mkdtemp(prefix="cache-", dir=work)))
        return h.mkdocs_build(snap, sitegen.OURS, work / "site-pdf", pdf_env(caches[-1], **extra))

    runs = h.interleave(
        {"parallel": cold, "serial": functools.partial(cold, SCR_PDF_WORKERS="1")},
        "3 cold PDFs",
        wanted=COLD_ROUNDS,
        minimum=COLD_ROUNDS,
    )
    ratio = ratios("", runs["parallel"], runs["serial"])
    cores = Series("", [run.cpu_seconds / run.seconds for run in runs["parallel"]])
    rows = [
        pdf_row("Cold build, empty cache (hook default: one worker per core)", runs["parallel"]),
        pdf_row("Cold build, empty cache, SCR_PDF_WORKERS=1 (one after another)", runs["serial"]),
        ["**Ratio parallel / serial** (per round)", ratio.cell("×"), "", "", "", ""],
    ]
    warm = work / "cache-warm"
    shutil.copytree(caches[0], warm)
    return Section(
        "3a. PDFs: cold builds",
        "`mkdocs build --strict` with SCR_PDF=1 and a new, empty SCR_PDF_CACHE for every run, interleaved "
        "parallel, serial, parallel, serial. The serial runs stand in for mkdocs-pdf-export-plugin, which renders "
        f"one PDF after another with no cache. {COLD_ROUNDS} rounds, not {h.ROUNDS}: a round took "
        f"{round_seconds(runs):.0f} s, and five would take a third of the ten-minute budget.",
        PDF_HEADER,
        rows,
        [Goal("cold", "3a. PDFs: cold build ≤ 0.6 × serial uncached build", ratio.cell("×"), ratio.median <= 0.6)],
        notes=[
            f"The parallel builds kept {cores.cell('', 2)} cores busy on average (CPU time / wall time) on this "
            f"{os.cpu_count()}-core machine, which other jobs were also using."
        ],
        data={"warm_cache": warm, "serial_seconds": series("", runs["serial"]).median},
    )


def append_sentence(page: Path, number: int) -> None:
    with open(page, "a", encoding="utf-8") as file:
        file.write(f"\nThis sentence was added by edit number {number} of the benchmark.\n")


def pdf_warm(snap: Path, work: Path, cache: Path) -> Section:
    """Rebuilds with a warm PDF cache: no change, and one page edited; against stock Material's HTML-only build."""
    edited = work / "edited"
    shutil.copytree(snap, edited)
    edits = iter(range(1, 1000))

    def edit_build() -> Run:
        append_sentence(edited / "docs" / "privacy.md", next(edits))
        return h.mkdocs_build(edited, sitegen.OURS, work / "site-edited", pdf_env(cache))

    runs = h.interleave(
        {
            "unchanged": lambda: h.mkdocs_build(snap, sitegen.OURS, work / "site-pdf", pdf_env(cache)),
            "edited": edit_build,
            "stock": lambda: h.mkdocs_build(snap, sitegen.STOCK, work / "site-stock", strict=False),
        },
        "3 PDF rebuilds",
    )
    edit_ratio = ratios("", runs["edited"], runs["stock"])
    same_ratio = ratios("", runs["unchanged"], runs["stock"])
    rows = [
        pdf_row("Rebuild, no change (warm cache)", runs["unchanged"]),
        pdf_row("Rebuild after appending a sentence to docs/privacy.md", runs["edited"]),
        pdf_row("Stock Material, HTML only", runs["stock"]),
        ["**Ratio no-change rebuild / stock HTML** (per round)", same_ratio.cell("×"), "", "", "", ""],
        ["**Ratio one-page-edit rebuild / stock HTML** (per round)", edit_ratio.cell("×"), "", "", "", ""],
    ]
    return Section(
        "3b. PDFs: rebuilds with a warm cache",
        "`mkdocs build --strict` with SCR_PDF=1 and a cache filled by a cold build, interleaved no-change, "
        "edit, stock. Each edit round first appends a new sentence to docs/privacy.md in a copy of the project.",
        PDF_HEADER,
        rows,
        [
            Goal(
                "edit",
                "3b. PDFs: one-page-edit rebuild ≤ 1.5 × stock HTML-only build",
                edit_ratio.cell("×"),
                edit_ratio.median <= 1.5,
            )
        ],
        data={"edited": edited, "stock_seconds": series("", runs["stock"]).median},
    )


def briefings_cost(snap: Path, work: Path) -> Section:
    """Issue 14: cold builds with the 7-minute briefings against without (SCR_BRIEFINGS=0), then one theme edited."""
    caches: list[Path] = []

    def cold(**extra: str) -> Run:
        caches.append(Path(tempfile.mkdtemp(prefix="cache-", dir=work)))
        return h.mkdocs_build(snap, sitegen.OURS, work / "site-briefings", pdf_env(caches[-1], **extra))

    runs = h.interleave(
        {"with": cold, "without": functools.partial(cold, SCR_BRIEFINGS="0")},
        "3c briefings",
        wanted=COLD_ROUNDS,
        minimum=1,
        deadline=HARD_LIMIT - 60,
    )
    ratio = ratios("", runs["with"], runs["without"])
    cpu = ratios("", runs["with"], runs["without"], "cpu_seconds")
    edited = work / "edited-theme"
    shutil.copytree(snap, edited)
    theme = edited / "docs" / "practice-themes" / "neglect.md"
    text = theme.read_text(encoding="utf-8")
    added = "- Ask the child what a good day looks like.\n"
    theme.write_text(text.replace("\n## Questions for supervision", added + "\n## Questions for supervision"))
    edit = h.mkdocs_build(edited, sitegen.OURS, work / "site-briefings", pdf_env(caches[0]))
    rendered = edit.pdfs()[0] if edit.pdfs() else -1
    rows = [
        pdf_row("Cold build, empty cache, with the briefings (default)", runs["with"]),
        pdf_row("Cold build, empty cache, SCR_BRIEFINGS=0", runs["without"]),
        ["**Ratio with / without** (per round)", ratio.cell("×"), cpu.cell("×"), "", "", ""],
        pdf_row("Rebuild after adding a line to docs/practice-themes/neglect.md (cache of a 'with' run)", [edit]),
    ]
    return Section(
        "3c. PDFs: 7-minute briefings",
        "`mkdocs build --strict` with SCR_PDF=1 and a new, empty SCR_PDF_CACHE for every run, interleaved with "
        f"briefings, without (SCR_BRIEFINGS=0), with, without: {len(runs['with'])} round(s). Then one rebuild with "
        "the cache of the first 'with' run after adding a line to one theme: it should render that theme's PDF, its "
        "briefing and the handbook (3), nothing else. Run only this part with `benchmarks/bench.py --only briefings`. "
        "The CPU-time ratio is the steadier figure when other jobs share the machine.",
        PDF_HEADER,
        rows,
        [
            Goal(
                "briefings",
                "3c. PDFs: cold build with briefings ≤ 1.15 × without",
                ratio.cell("×"),
                ratio.median <= 1.15,
            ),
            Goal("briefings-edit", "3c. PDFs: one theme edited renders 3 PDFs", f"{rendered} rendered", rendered == 3),
        ],
        notes=[
            "Why a briefing costs more than its share: it is two full pages of text set in two narrow columns of "
            "boxes, and a profile of one render (cProfile, WeasyPrint 70) spends most of its time in line layout; "
            "it takes about twice the CPU time of the theme's own page PDF. Balanced columns (WeasyPrint's default) "
            "tripled that by laying the columns out repeatedly, so the briefings fill columns in order. The work is "
            "CPU-bound and the cold build already keeps both cores busy, so the wall-time ratio follows the "
            "CPU-time ratio; on a machine shared with other jobs the wall-time figures spread widely."
        ],
    )


def splice(results: str, section: Section) -> str:
    """RESULTS.md with one section (and its goals' rows) replaced or added, the rest as the last full run left it."""
    title = f"## {section.title}"
    block = section.markdown()
    if title in results:
        start = results.index(title)
        end = results.find("\n## ", start + len(title))
        results = results[:start] + block + "\n" + (results[end:] if end != -1 else "")
    else:
        anchor = results.find("\n## 4.")
        results = results[:anchor] + "\n" + block + "\n" + results[anchor:] if anchor != -1 else results + "\n" + block
    for goal in section.goals:
        row = f"| {goal.goal} | {goal.result} | {'met' if goal.met else f'**{goal.verdict}**'} |"
        lines = results.split("\n")
        found = [i for i, line in enumerate(lines) if line.startswith(f"| {goal.goal} |")]
        if found:
            lines[found[0]] = row
        else:
            header = next((i for i, line in enumerate(lines) if line.startswith("| Goal | Result |")), None)
            if header is not None:
                end = header + 2
                while end < len(lines) and lines[end].startswith("|"):
                    end += 1
                lines.insert(end, row)
        results = "\n".join(lines)
    return results


def only_briefings() -> None:
    """`bench.py --only briefings`: measure section 3c alone and splice it into RESULTS.md."""
    with tempfile.TemporaryDirectory(prefix="scr-bench-") as tmp:
        work = Path(tmp)
        snap = sitegen.snapshot(work / "project")
        section = briefings_cost(snap, work)
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    RESULTS.write_text(splice(current, section), encoding="utf-8")
    print(section.markdown())


# 4. Editors' loop


def editors_loop(snap: Path, work: Path) -> Section:
    """Seconds from saving a Markdown file to the rebuilt page under `mkdocs serve`, ours against stock."""
    configs = {"ours": sitegen.OURS, "stock": sitegen.STOCK}
    servers = {}
    for name, config in configs.items():
        shutil.copytree(snap, work / f"serve-{name}")
        servers[name] = (work / f"serve-{name}", config)
    times = {name: Series(name) for name in configs}
    with serve_loop.serving(servers) as running:
        for number in range(1, h.ROUNDS + 1):
            for name, server in running.items():
                times[name].values.append(server.edit_and_wait(f"Benchmark edit {number} for the {name} server."))
            latest = ", ".join(f"{name} {found.values[-1]:.2f} s" for name, found in times.items())
            progress(f"4 editors' loop: round {number}/{h.ROUNDS}: {latest}")
    ratio = Series("", [a / b for a, b in zip(times["ours"].values, times["stock"].values, strict=True)])
    return Section(
        "4. Editors' loop: save to rebuilt page under `mkdocs serve`",
        "Both servers run at once, each on its own copy of the project (ours with its config, PDFs off as in every "
        "`serve`; stock with the stock config). Each round appends a sentence to docs/privacy.md in one copy, polls "
        "the served page every 20 ms until the sentence appears (MkDocs holds page requests while it rebuilds, so "
        "the rebuild is then over), then does the same for the other. MkDocs notices a change by polling files "
        "every 0.5 s, so each figure includes 0 to 0.5 s of detection delay, the same for both.",
        ["Server", "Save to rebuilt page"],
        [
            ["Ours", times["ours"].cell(" s")],
            ["Stock Material", times["stock"].cell(" s")],
            ["**Ratio ours / stock** (per round)", ratio.cell("×")],
        ],
        notes=["No goal was set for this part; the ratio is for comparison with part 1."],
    )


# 5. Page weight


def page_weight(snap: Path, work: Path, our_site: Path) -> Section:
    """First-visit bytes and requests of every page, ours against stock Material over the same Markdown."""
    config = "mkdocs-stock-all.yml"
    sitegen.write_config(snap / config, {**sitegen.stock_overrides(sitegen.OURS), "exclude_docs": "/_snippets/\n"})
    stock_site = work / "site-stock-all"
    h.mkdocs_build(snap, config, stock_site, strict=False)
    ours, stock = weight.measure_site(our_site), weight.measure_site(stock_site)
    heavier = ours["heaviest"].gzipped > stock["heaviest"].gzipped or ours["median_gzipped"] > stock["median_gzipped"]
    result = (
        f"median page {ours['median_gzipped'] / 1024:.1f} KiB gzipped against {stock['median_gzipped'] / 1024:.1f}"
        f" KiB, heaviest {ours['heaviest'].gzipped / 1024:.1f} KiB against {stock['heaviest'].gzipped / 1024:.1f} KiB"
    )
    third = ", ".join(ours["third_party"]) or "none"
    return Section(
        "5. Page weight: what a first visit downloads",
        "Counted from the HTML-only builds (not timed, so one build each): the page, every stylesheet, script, "
        "image and icon it references, fonts loaded by `url(...)` in those stylesheets, and Material's search "
        "worker and `search/search_index.json`, which the worker fetches as soon as the page loads. Gzip level 6. "
        "Stock here is our config without the hook that also builds each FAQ question file as a page of its own, "
        "so that both sites carry the same Markdown (and the same answers in the search index).",
        [
            "Site",
            "Pages",
            "Median page raw",
            "Median page gzipped",
            "of which the HTML",
            "of which search (worker + index)",
            "Requests (median page)",
            "Heaviest page (gzipped)",
            "Third-party requests",
        ],
        [weight_row("Ours", ours), weight_row("Stock Material", stock)],
        [
            Goal("weight", "5. Page weight: no heavier than stock Material", result, not heavier),
            Goal("third-party", "5. Page weight: zero third-party requests", third, not ours["third_party"]),
        ],
        data={"weight": (ours, stock)},
    )


def weight_row(name: str, site: dict) -> list[str]:
    heaviest = site["heaviest"]
    return [
        name,
        str(site["pages"]),
        f"{site['median_raw'] / 1024:.1f} KiB",
        f"{site['median_gzipped'] / 1024:.1f} KiB",
        f"{site['median_html_gzipped'] / 1024:.1f} KiB",
        f"{site['search_gzipped'] / 1024:.1f} KiB",
        f"{site['median_requests']:.0f}",
        f"`{heaviest.path}` {heaviest.gzipped / 1024:.1f} KiB ({heaviest.raw / 1024:.0f} KiB raw)",
        str(len(site["third_party"])),
    ]


# 6. Search


def search_section(snap: Path, work: Path, our_site: Path) -> Section:
    """Top-3 rate of the query set, first-view bytes per page type and time to first results, against stock."""
    parts = search_bench.measure(snap, work, our_site)
    parts = search_bench.section_parts(parts)
    return Section(
        parts["title"],
        parts["method"],
        parts["header"],
        parts["rows"],
        [Goal(*goal) for goal in parts["goals"]],
        parts["notes"],
    )


def only_search() -> None:
    """`bench.py --only search`: build ours once, measure search, and update part 6 of RESULTS.md in place."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="scr-bench-") as tmp:
        work = Path(tmp)
        snap = sitegen.snapshot(work / "project")
        our_site = work / "site-ours"
        h.mkdocs_build(snap, sitegen.OURS, our_site, NO_PDF)
        section = search_section(snap, work, our_site)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n## Goals\n\n"
    text = replace_section(text, section)
    RESULTS.write_text(text, encoding="utf-8")
    print(section.markdown())
    progress(f"done in {time.monotonic() - started:.0f} s; updated part 6 of {RESULTS}")


def replace_section(text: str, section: Section) -> str:
    """Put one section (and its rows of the Goals table) into an existing report, replacing the old ones."""
    number = section.title.split(".")[0] + "."
    block = section.markdown().rstrip("\n") + "\n\n"
    pattern = re.compile(rf"^## {re.escape(number)} .*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    elif "\n## Why goals were missed" in text:
        text = text.replace("\n## Why goals were missed", "\n" + block + "## Why goals were missed", 1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    lines = [line for line in text.split("\n") if not line.startswith(f"| {number} ")]
    rows = [f"| {g.goal} | {g.result} | {'met' if g.met else f'**{g.verdict}**'} |" for g in section.goals]
    goals = next((i for i, line in enumerate(lines) if line == "| Goal | Result |  |"), None)
    if goals is not None:
        end = goals + 2
        while end < len(lines) and lines[end].startswith("| "):
            end += 1
        lines[end:end] = rows
    return "\n".join(lines)


# 7. Pull-request checks


def checks_section(work: Path, full: bool = True) -> Section:
    """The checks a pull request waits for: `make check-content` (content only) and `make test`'s pytest, on a
    clean clone of the committed project (its .venv and node_modules linked, as set up)."""
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(h.ROOT), str(clone)], check=True)
    for shared in (".venv", "node_modules", ".cache/web-editor"):  # as set up (the clone's real build has the editor)
        (clone / shared).parent.mkdir(parents=True, exist_ok=True)
        (clone / shared).symlink_to(h.ROOT / shared)
    python = str(clone / ".venv" / "bin" / "python")
    progress("7 checks: make check-content")
    lint = h.run_measured(["bash", "scripts/lint.sh"], clone)
    content = h.run_measured(  # as `make check-content` runs it (SCR_CMS=0: that job fetches no web editor)
        [python, "-m", "pytest", "-q", "-m", "content", "-p", "no:cacheprovider"], clone, {"SCR_CMS": "0"}
    )
    total = lint.seconds + content.seconds
    tests = re.search(r"(\d+) passed", content.log)
    rows = [
        ["`make lint` (scripts/lint.sh)", f"{lint.seconds:.0f} s", f"{lint.cpu_seconds:.0f} s"],
        [
            f"Content tests (`pytest -m content`: {tests.group(1) if tests else '?'} tests, strict build with PDFs)",
            f"{content.seconds:.0f} s",
            f"{content.cpu_seconds:.0f} s",
        ],
        ["**`make check-content`, set-up done**", f"**{total:.0f} s**", ""],
    ]
    goals = [
        Goal(
            "checks-content",
            "7. Content-only pull request: `make check-content` ≤ 180 s",
            f"{total:.0f} s",
            total <= 180,
        )
    ]
    if full:
        progress("7 checks: make test's pytest")
        suite = h.run_measured(
            [python, "-m", "pytest", "-q", "-n", "3", "--dist", "loadfile", "-p", "no:cacheprovider"], clone
        )
        whole = lint.seconds + suite.seconds
        rows.append(["`make test`, set-up done (lint, then pytest in three processes)", f"{whole:.0f} s", ""])
        goals.append(Goal("checks-full", "7. `make test`, set-up done, ≤ 480 s", f"{whole:.0f} s", whole <= 480))
    return Section(
        "7. Pull-request checks",
        "Timed on a clean `git clone` of the committed project, with the set-up (`.venv`, `node_modules`) already "
        "made; a first run on a bare machine adds the set-up (see the README's Tests section). Run only this part "
        "with `benchmarks/bench.py --only checks`.",
        ["Step", "Wall time", "CPU time"],
        rows,
        goals,
    )


def only_checks() -> None:
    """`bench.py --only checks`: time the pull-request checks and update part 7 of RESULTS.md in place."""
    with tempfile.TemporaryDirectory(prefix="scr-bench-") as tmp:
        section = checks_section(Path(tmp))
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n## Goals\n\n"
    RESULTS.write_text(replace_section(text, section), encoding="utf-8")
    print(section.markdown())


# Profiles of missed goals


def profile_run(mode: str, project: Path, config: str, site: Path, env: dict) -> dict | None:
    """Run benchmarks/profile_build.py in a fresh process and return its JSON (None, with a message, if it fails)."""
    args = [h.PYTHON, str(Path(__file__).with_name("profile_build.py")), mode, str(project), config, str(site)]
    run = h.run_measured(args, project, {"SCR_CMS": "0", **env}, check=False)  # a build of a snapshot, as mkdocs_build
    line = next((line for line in run.log.splitlines() if line.startswith("BENCH-JSON ")), None)
    if run.returncode or not line:
        progress(f"profile {mode} failed; its last lines:\n{run.log[-1500:]}")
        return None
    return json.loads(line.removeprefix("BENCH-JSON "))


def failed(title: str) -> str:
    return f"### {title}\n\nThe profiling run failed; the benchmark's output shows its log."


def profile_markdown(title: str, result: dict | None, note: str) -> str:
    if result is None:
        return failed(title)
    header = ["Function", "Calls", "Own time", "Cumulative"]

    def rows(key: str) -> list[list[str]]:
        return [
            [f"`{r['function']}`", str(r["calls"]), f"{r['own']:.2f} s", f"{r['cumulative']:.2f} s"]
            for r in result[key]
        ]

    return "\n\n".join(
        [
            f"### {title}",
            f"cProfile, one build in a fresh process: {result['seconds']:.1f} s under the profiler. {note}".strip(),
            "Top functions by own time:",
            table(header, rows("by_own_time")),
            "Our hook's functions (hooks/) by cumulative time:",
            table(header, rows("hook_by_cumulative")),
        ]
    )


HANDBOOK_NOTE = ", and it is rendered again whenever any page changes, because it contains every page"


def schedule(seconds: list[float], workers: int) -> float:
    """Finish time of jobs handed out in this order to whichever of `workers` is free first (as pool.map does)."""
    free = [0.0] * workers
    for job in seconds:
        free[free.index(min(free))] += job
    return max(free)


def pdf_jobs_markdown(result: dict | None) -> str:
    if not result or not result["jobs"]:
        return failed("PDF rendering, job by job")
    jobs = result["jobs"]
    in_order = [job["seconds"] for job in jobs]
    total, longest = sum(in_order), max(jobs, key=lambda job: job["seconds"])
    workers = os.cpu_count() or 1
    slowest = sorted(jobs, key=lambda job: -job["seconds"])[:8]
    rows = [[f"`{j['name']}`", f"{j['seconds']:.2f} s", f"{j['html_kb']:.0f} KiB"] for j in slowest]
    return "\n\n".join(
        [
            "### PDF rendering, job by job",
            f"A cold build with SCR_PDF_WORKERS=1, timing each WeasyPrint job (no profiler): {len(jobs)} jobs, "
            f"{total:.1f} s of rendering in a {result['seconds']:.1f} s build. The slowest eight:",
            table(["PDF", "Render time", "HTML"], rows),
            f"`{longest['name']}` alone takes {longest['seconds']:.1f} s ({longest['seconds'] / total:.0%} of all "
            f"rendering){HANDBOOK_NOTE if 'handbook' in longest['name'] else ''}. With {workers} workers the PDF "
            f"step cannot take less than {max(longest['seconds'], total / workers):.1f} s of rendering. Handing the "
            "jobs out in the order the hook rendered them here, as `ProcessPoolExecutor.map` does, ends after about "
            f"{schedule(in_order, workers):.1f} s (simulated from these times); longest first, after about "
            f"{schedule(sorted(in_order, reverse=True), workers):.1f} s. On top of that each worker process imports "
            "WeasyPrint and loads its fonts once.",
        ]
    )


def profiles(snap: Path, work: Path, goals: dict[str, Goal], data: dict) -> list[str]:
    """For each missed goal of parts 1 and 3, profile the build behind it and say where the time goes."""
    found, site = [], work / "site-profile"
    if not goals["overhead"].met:
        progress("profile: HTML-only build of the real site")
        result = profile_run("cprofile", snap, sitegen.OURS, site, NO_PDF)
        found.append(profile_markdown("HTML-only build of the real site (ours)", result, ""))
    if goals["cold"].met and goals["edit"].met:
        return found
    weasyprint_import = import_seconds("weasyprint")
    if not goals["edit"].met:
        progress("profile: rebuild with PDFs, no change")
        result = profile_run("cprofile", snap, sitegen.OURS, site, pdf_env(data["warm_cache"]))
        note = (
            "Every PDF comes from the cache, so this is the hook's cost around the rendering, paid on every build "
            f"with PDFs. For scale: `import weasyprint` alone takes {weasyprint_import:.2f} s here (median of three "
            "fresh processes)."
        )
        found.append(profile_markdown("Rebuild with PDFs, no change (warm cache)", result, note))
    progress("profile: PDF jobs one by one")
    env = pdf_env(Path(tempfile.mkdtemp(prefix="cache-", dir=work)), SCR_PDF_WORKERS="1")
    jobs = profile_run("jobs", snap, sitegen.OURS, site, env)
    found.append(pdf_jobs_markdown(jobs))
    if not goals["cold"].met and jobs and jobs["jobs"]:
        found.append(cold_bound_markdown(data, jobs["jobs"]))
    if not goals["edit"].met and jobs and jobs["jobs"]:
        found.append(edit_bound_markdown(data, jobs["jobs"], weasyprint_import))
    return found


def cold_bound_markdown(data: dict, jobs: list[dict]) -> str:
    """The best cold-build ratio this machine allows: the serial build with its rendering replaced by the bound."""
    serial, workers = data["serial_seconds"], os.cpu_count() or 1
    rendering = sum(job["seconds"] for job in jobs)
    longest = max(job["seconds"] for job in jobs)
    best = serial - rendering + max(longest, rendering / workers)
    return (
        "### How close the cold build can get\n\n"
        f"The serial cold build took {serial:.1f} s (part 3a), {rendering:.1f} s of it rendering (the job-by-job "
        f"run). With {workers} free cores the rendering cannot take less than {max(longest, rendering / workers):.1f}"
        f" s, so the best a parallel cold build can do here is about {best:.1f} s = {best / serial:.2f} × serial, "
        "before each worker's start-up. "
        + (
            "So 0.6 × is within reach only when every core is free for the build (see the cores kept busy under "
            "part 3a: other jobs were using this machine)."
            if best / serial <= 0.6
            else "So 0.6 × cannot be met as the work is split now: the longest job plus the part of the build "
            "that is not rendering already take longer."
        )
    )


def edit_bound_markdown(data: dict, jobs: list[dict], weasyprint_import: float) -> str:
    """Why an edit rebuild that renders PDFs cannot reach 1.5 × stock: the sum of parts it cannot avoid."""
    allowed, html = 1.5 * data["stock_seconds"], data["html_seconds"]
    seconds = {job["name"]: job["seconds"] for job in jobs}
    page = seconds.get("privacy.pdf", min(seconds.values()))
    book = max(jobs, key=lambda job: job["seconds"])
    floor = html + weasyprint_import + page
    return (
        "### Why the one-page-edit goal cannot be met as set\n\n"
        f"The goal allows {allowed:.2f} s: 1.5 × the {data['stock_seconds']:.2f} s of stock Material's HTML-only "
        f"build (part 3b). Our HTML-only build alone takes {html:.2f} s (part 1). An edit to one page renders that "
        f"page's PDF again ({page:.2f} s for privacy.pdf) and `{book['name']}`, which contains every page "
        f"({book['seconds']:.2f} s), and the first render in a process imports WeasyPrint ({weasyprint_import:.2f} "
        f"s). Even with no handbook, no other overhead and a fully parallel machine, {html:.2f} + "
        f"{weasyprint_import:.2f} + {page:.2f} = {floor:.2f} s = {floor / data['stock_seconds']:.1f} × stock. "
        "A one-page edit can only come within 1.5 × if the PDFs are left out of that build (as `mkdocs serve` "
        "already does) or rendered after it, for example by a separate `make pdfs` step or in the background."
    )


def import_seconds(module: str) -> float:
    """How long a fresh Python takes to import a module (median of three)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [float(h.run_measured([h.PYTHON, "-c", code], Path.cwd()).log.split()[-1]) for _ in range(3)]
    return sorted(times)[1]


def scale_profile(project: Path, work: Path, size: int) -> list[str]:
    """If the hook's share grows at scale: profile the smallest generated size, time allowing."""
    if not fits(40, slack=60):
        return [f"The {size}-note build was not profiled: it did not fit in the time budget."]
    progress(f"profile: HTML-only build at {size} notes")
    result = profile_run("cprofile", project, sitegen.SCALED, work / "site-profile", NO_PDF)
    return [profile_markdown(f"HTML-only build with {size} generated notes (ours)", result, "")]


def nav_markdown(section: Section) -> str:
    """Ours renders a longer nav into every page: part of the time ratio is Material's, caused by the hook's nav."""
    nav = section.data["nav"]
    where = f"at {section.data['large']} notes" if "large" in section.data else "on the real site"
    return (
        f"### Part of the ratio {where} is a longer navigation\n\n"
        f"{where.capitalize()}, our pages list {nav['ours']} items in their navigation against {nav['stock']} for "
        f"stock Material ({nav['ours'] / nav['stock'] - 1:+.0%}): the hook adds every practice theme (and the "
        "document register) to `nav`, and Material renders the whole navigation into every page. That cost is "
        "spent in Material's templates (its `nav-item.html` macros), not in the hook's own functions, which the "
        "profiles list separately."
    )


def weight_markdown(ours: dict, stock: dict) -> str:
    """Where the extra bytes of our median and heaviest pages are."""
    html = (ours["median_html_gzipped"] - stock["median_html_gzipped"]) / 1024
    search = (ours["search_gzipped"] - stock["search_gzipped"]) / 1024
    total = (ours["median_gzipped"] - stock["median_gzipped"]) / 1024
    heavy = ours["heaviest"]
    return (
        "### What makes our pages heavier\n\n"
        f"The median page is {total:+.1f} KiB gzipped against stock: {html:+.1f} KiB in the page's own HTML (markup "
        "that needs the hook, such as the numbers in the 'Worried about a child?' banner, the governance block and "
        "the Content-Security-Policy), "
        f"{search:+.1f} KiB in the search index that every first visit fetches (ours indexes the pages and text the "
        f"hook generates, {ours['search_index'] / 1024:.0f} KiB against {stock['search_index'] / 1024:.0f} KiB raw), "
        f"and {total - html - search:+.1f} KiB in stylesheets, scripts and icons. Our heaviest page, `{heavy.path}`, "
        f"carries {heavy.data_raw / 1024:.0f} KiB (raw) of inline JSON (Material's config and any JSON-LD) on top "
        "of its visible text."
    )


def explanations(sections: list[Section]) -> list[str]:
    """Plain-words notes on the misses that a profile does not explain."""
    notes = []
    for section in sections:
        if "nav" in section.data and any(g.key in RATIO_GOALS and not g.met for g in section.goals):
            notes.append(nav_markdown(section))
        if "weight" in section.data and not all(goal.met for goal in section.goals):
            notes.append(weight_markdown(*section.data["weight"]))
        growth = section.data.get("growth")
        linear = next((g for g in section.goals if g.key == "linear"), None)
        if growth and linear and linear.measured and not linear.met:
            notes.append(
                "### Why ms/page grows with size\n\nStock Material's ms/page grows over the same range too "
                f"({growth['stock']:.2f}×; ours {growth['ours']:.2f}×): Material renders the whole navigation into "
                "every page, so each page costs time in proportion to the number of pages in `nav`, and the build "
                "as a whole grows with the square of the page count. The hook's own cost per page is the "
                "'ours − stock' column of part 2. A linear build needs less nav per page (for example Material's "
                "`navigation.prune` feature, or fewer pages listed in `nav`); the hook cannot fix it."
            )
    return notes


# Report


def report(info: dict, sections: list[Section], found: list[str], seconds: float) -> str:
    goals = [goal for section in sections for goal in section.goals]
    info = {**info, "Load average at end (1, 5, 15 min)": load()}
    parts = [
        "# Benchmark results",
        "Written by `make bench` (`.venv/bin/python benchmarks/bench.py`); do not edit by hand. These are the "
        'figures before any fix for the goals it reports as missed; see "Why goals were missed".',
        table(["Machine", ""], [[key, value] for key, value in info.items()]),
        f"Whole benchmark: {seconds / 60:.1f} min ({seconds:.0f} s). Times are wall-clock medians with (min–max); "
        "every ratio is taken round by round from interleaved runs, then the median of those is shown. Each build "
        "runs in a new process; its peak memory is the largest resident set size of that process or any of its "
        "children (from os.wait4). Every build uses a snapshot of the project taken when the benchmark started, "
        "with SOURCE_DATE_EPOCH=1764115200 and NO_MKDOCS_2_WARNING=1.",
        "## Goals",
        table(["Goal", "Result", ""], [[g.goal, g.result, "met" if g.met else f"**{g.verdict}**"] for g in goals]),
    ]
    parts += [section.markdown() for section in sections]
    notes = explanations(sections)
    if found or notes:
        parts += ["## Why goals were missed", *found, *notes]
    return "\n\n".join(parts) + "\n"


def goals_of(sections: list[Section]) -> dict[str, Goal]:
    return {goal.key: goal for section in sections for goal in section.goals}


def main() -> None:
    started = time.monotonic()
    info = machine()
    with tempfile.TemporaryDirectory(prefix="scr-bench-") as tmp:
        work = Path(tmp)
        snap = sitegen.snapshot(work / "project")
        progress(f"snapshot of the project in {snap}")
        overhead = hook_overhead(snap, work)
        weights = page_weight(snap, work, overhead.data["sites"]["ours"])
        cold = pdf_cold(snap, work)
        warm = pdf_warm(snap, work, cold.data["warm_cache"])
        brief = briefings_cost(snap, work)
        loop = editors_loop(snap, work)
        sections = [
            overhead,
            cold,
            warm,
            brief,
            loop,
            weights,
            search_section(snap, work, overhead.data["sites"]["ours"]),
            checks_section(work),
        ]
        found = profiles(snap, work, goals_of(sections), {**overhead.data, **cold.data, **warm.data})
        projects = scale_projects(snap, work)
        scaled = scale_section(measure_scale(projects, work))
        sections.insert(1, scaled)
        if not goals_of(sections)["scale-ratio"].met:
            found += scale_profile(projects[SIZES[0]], work, SIZES[0])
    seconds = time.monotonic() - started
    text = report(info, sections, found, seconds)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    progress(f"done in {seconds:.0f} s; wrote {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", choices=["search", "briefings", "checks"], help="run one part only and update it in RESULTS.md"
    )
    only = parser.parse_args().only
    if only == "search":
        only_search()
    elif only == "briefings":
        only_briefings()
    elif only == "checks":
        only_checks()
    else:
        main()
