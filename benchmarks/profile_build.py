"""Profile one build in this process and print what took the time, as JSON (run by bench.py in a fresh process).

Usage: profile_build.py cprofile|jobs PROJECT CONFIG SITE_DIR

cprofile  the whole build under cProfile: top functions by own time, and our hook's functions by cumulative time.
jobs      no profiler; each PDF the build renders is timed on its own. Run it with SCR_PDF=1 and
          SCR_PDF_WORKERS=1 (so the PDFs are rendered in this process) and an empty SCR_PDF_CACHE.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

TOP = 12  # rows in each table


def build(project: Path, config: str, site_dir: str) -> None:
    """`mkdocs build` of a project in this process (strict or not as its config file says)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.chdir(project)
    mkdocs_build(load_config(config_file=config, site_dir=site_dir))


def label(func: tuple) -> str:
    """'hooks/scr/pdf.py:173(prepare)' or 'jinja2/runtime.py:262(call)'."""
    path, line, name = func
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/hooks/" in path:
        path = "hooks/" + path.split("/hooks/", 1)[1]
    elif "/lib/python" in path:
        path = path.split("/lib/", 1)[1]
    return f"{path}:{line}({name})"


def top_functions(stats: pstats.Stats, key: str, only_hooks: bool = False) -> list[dict]:
    """The TOP functions by `key` ('own' or 'cumulative' seconds), optionally only our hook's."""
    rows = []
    for func, (_, calls, own, cumulative, _) in stats.stats.items():
        if not only_hooks or "/hooks/" in func[0]:
            rows.append({"function": label(func), "calls": calls, "own": own, "cumulative": cumulative})
    return sorted(rows, key=lambda row: row[key], reverse=True)[:TOP]


def time_pdf_jobs(project: Path) -> list[dict]:
    """Wrap the hook's renderer so each PDF is timed; the list fills up, in rendering order, during the build.

    The renderer's argument has changed shape before (a Job, then an (html, forms, key) tuple), so each call is
    named by its job's cache key, which render_all's jobs give.
    """
    sys.path.insert(0, str(project / "hooks"))
    from scr import pdf

    timings: list[dict] = []
    names: dict[str, str] = {}
    render, render_all = pdf._render, pdf.render_all

    def named_render_all(jobs, *args, **kwargs):
        names.update({job.key(): job.name for job in jobs})
        return render_all(jobs, *args, **kwargs)

    def timed(task):
        started = time.perf_counter()
        result = render(task)
        name, size = describe(task, names)
        timings.append({"name": name, "seconds": time.perf_counter() - started, "html_kb": size / 1024})
        return result

    pdf.render_all, pdf._render = named_render_all, timed
    return timings


def describe(task, names: dict[str, str]) -> tuple[str, int]:
    """A render task's PDF name and HTML size, whether it is a Job or a tuple holding its HTML and key."""
    if hasattr(task, "name"):
        return task.name, len(getattr(task, "html", ""))
    parts = [part for part in task if isinstance(part, str)] if isinstance(task, tuple) else []
    name = next((names[part] for part in parts if part in names), None)
    if name is None:  # tasks carry the key of their HTML, not the job's: name them by the HTML's <title>
        title = next((re.search(r"<title>(.*?)</title>", part, re.S) for part in parts if "<title>" in part), None)
        name = title.group(1).strip() if title else "unknown"
    return name, max(map(len, parts), default=0)


def profile(project: Path, config: str, site_dir: str) -> dict:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(build, project, config, site_dir)
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    return {
        "seconds": seconds,
        "by_own_time": top_functions(stats, "own"),
        "hook_by_cumulative": top_functions(stats, "cumulative", only_hooks=True),
    }


def jobs(project: Path, config: str, site_dir: str) -> dict:
    timings = time_pdf_jobs(project)
    started = time.perf_counter()
    build(project, config, site_dir)
    return {"seconds": time.perf_counter() - started, "jobs": timings}


def main() -> None:
    mode, project, config, site_dir = sys.argv[1:5]
    result = (profile if mode == "cprofile" else jobs)(Path(project), config, site_dir)
    print("BENCH-JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
