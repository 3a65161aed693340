"""Search, side by side with stock Material in Chromium: the query set's top-3 rate, what a first view of
each kind of page downloads, and the time from the first keystroke to the first results.

Stock here is plain Material for MkDocs over the same Markdown: our mkdocs.yml without the hook, without
our theme overrides, stylesheet and script, and with each FAQ question file built as a page of its own
(so stock's search has the same answers to find).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import harness as h
import sitegen
import yaml

# The watch on Material's search worker, the reading of results and Chromium's flags are the tests' own.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from search_probe import CHROMIUM_ARGS, RESULTS, WORKER_WATCH, found  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "search_queries.yml"
STOCK_SEARCH = "mkdocs-stock-search.yml"
PAGE_TYPES = {
    "Home": "",
    "Guidance page": "referrals/making-a-referral/",
    "FAQ": "faq/",
    "Practice theme": "practice-themes/neglect/",
    "Theme index": "practice-themes/",
    "Form page": "referrals/referral-form/",
    "Glossary": "glossary/",
}
TIMING_RUNS = 7
TIMING_QUERY = "neglect"


def build_stock(snap: Path, site: Path) -> None:
    """Plain Material over the same Markdown (FAQ question files as pages of their own)."""
    ours = yaml.load((snap / sitegen.OURS).read_text(encoding="utf-8"), Loader=sitegen._EnvLoader)
    keep = ("name", "font", "favicon", "logo", "features")
    config = {
        **{key: value for key, value in ours.items() if key not in ("hooks", "extra_css", "extra_javascript")},
        "strict": False,
        "exclude_docs": "/_snippets/\n",
        "theme": {**{key: ours["theme"][key] for key in keep if key in ours["theme"]}, "language": "en"},
    }
    sitegen.write_config(snap / STOCK_SEARCH, config)
    h.mkdocs_build(snap, STOCK_SEARCH, site, strict=False)


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped (level 6) when the browser accepts it, as a real host serves them."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        import io

        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def served(site: Path):
    """The site on 127.0.0.1, gzipped, as a static host serves it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


def first_view(browser, base: str, site: Path, path: str) -> tuple[int, int, dict[str, int]]:
    """Gzipped bytes (level 6) and requests of everything a fresh visit to one page fetches before it goes quiet."""
    context = browser.new_context()
    fetched = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    context.close()
    files = []
    for url in dict.fromkeys(fetched):
        local = site / urlsplit(url).path.lstrip("/")
        local = local / "index.html" if local.is_dir() else local
        if local.is_file():
            files.append(local)
    return sum(gzipped(f) for f in files), len(files), {f.relative_to(site).as_posix(): gzipped(f) for f in files}


def stock_page(wanted: str) -> str:
    """Stock builds each FAQ question file as a page: `faq/#id` there is `faq/id/`."""
    if wanted.startswith("faq/#"):
        return f"faq/{wanted.removeprefix('faq/#')}/"
    return wanted


def top3_rate(browser, base: str, queries: list[dict], stock: bool) -> tuple[float, list[str]]:
    """Type every query into the search box and count those whose wanted page is in the first three results."""
    context = browser.new_context()
    context.add_init_script(WORKER_WATCH)
    page = context.new_page()
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.focus()
    page.wait_for_function(
        "() => !/initiali[sz]ing/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    misses = []
    for item in queries:
        box.fill("")
        page.keyboard.type(item["query"])
        page.wait_for_function(
            "q => window.__search.last === q && window.__search.sent === window.__search.received",
            arg=item["query"],
        )
        wanted = stock_page(item["page"]) if stock else item["page"]
        if not found(page.evaluate(RESULTS, base), wanted):
            misses.append(item["query"])
    context.close()
    return 1 - len(misses) / len(queries), misses


def keystroke_to_results(browser, base: str) -> list[float]:
    """Fresh visits: ms from the first key pressed in the search box to the first result on screen."""
    times = []
    for _ in range(TIMING_RUNS):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(
            """() => {
              window.__firstKey = null; window.__firstResult = null;
              document.addEventListener("keydown", () => { if (window.__firstKey === null)
                window.__firstKey = performance.now(); }, true);
              new MutationObserver(() => { if (window.__firstResult === null &&
                document.querySelector(".md-search-result__item")) window.__firstResult = performance.now();
              }).observe(document.querySelector(".md-search-result__list"), {childList: true});
            }"""
        )
        page.keyboard.press("/")  # Material's shortcut: opens the search and starts the index download
        page.keyboard.type(TIMING_QUERY)
        page.wait_for_function("() => window.__firstResult !== null", timeout=30_000)
        times.append(page.evaluate("window.__firstResult - window.__firstKey"))
        context.close()
    return times


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = ("Home", "Guidance page", "FAQ", "Practice theme", "Form page")


def lighthouse(url: str, work: Path) -> float | None:
    """Lighthouse's performance score (0 to 1) for one page, mobile defaults, in Debian's Chromium."""
    if not LIGHTHOUSE.exists():
        return None
    out = work / "lighthouse.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    args = [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}"]
    args += [f"--chrome-flags={flags}", "--quiet"]
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
    if result.returncode != 0 or not out.exists():
        h.progress(f"lighthouse failed on {url}: {result.stderr[-500:]}")
        return None
    return json.loads(out.read_text(encoding="utf-8"))["categories"]["performance"]["score"]


def measure(snap: Path, work: Path, our_site: Path) -> dict:
    """Everything the search section reports, for ours and stock, in one Chromium session."""
    from playwright.sync_api import sync_playwright

    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    stock_site = work / "site-stock-search"
    build_stock(snap, stock_site)
    result = {"queries": len(queries), "sites": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, site in (("ours", our_site), ("stock", stock_site)):
            with served(site) as base:
                h.progress(f"search: {name}: first views")
                views = {label: first_view(browser, base, site, path) for label, path in PAGE_TYPES.items()}
                h.progress(f"search: {name}: {len(queries)} queries")
                rate, misses = top3_rate(browser, base, queries, stock=name == "stock")
                h.progress(f"search: {name}: first keystroke to first results, {TIMING_RUNS} fresh visits")
                started = time.monotonic()
                timings = keystroke_to_results(browser, base)
                h.progress(f"search: {name}: Lighthouse performance, {len(LIGHTHOUSE_PAGES)} page types")
                scores = {label: lighthouse(base + PAGE_TYPES[label], work) for label in LIGHTHOUSE_PAGES}
                h.progress(f"search: {name}: done in {time.monotonic() - started:.0f} s")
            result["sites"][name] = {
                "views": views,
                "rate": rate,
                "misses": misses,
                "timings": timings,
                "lighthouse": scores,
            }
        browser.close()
    return result


def cell_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}–{max(values):.0f})"


def is_search(name: str) -> bool:
    return "search_index" in name or "/workers/" in name or name.endswith("javascripts/search.js")


def weight_note(ours: dict[str, int], stock: dict[str, int]) -> str:
    """Where the home page's first-view bytes go: search, the page, and the rest."""
    groups = {}
    for label, files in (("ours", ours), ("stock", stock)):
        search = sum(size for name, size in files.items() if is_search(name))
        html = sum(size for name, size in files.items() if name.endswith(".html"))
        groups[label] = (search, html, sum(files.values()) - search - html)
    (s1, h1, r1), (s2, h2, r2) = groups["ours"], groups["stock"]
    return (
        f"Home page, gzipped, ours against stock: search {s1 / 1024:.1f} against {s2 / 1024:.1f} KiB (our page "
        f"script and worker; Material's worker and the index), the page's HTML {h1 / 1024:.1f} against "
        f"{h2 / 1024:.1f} KiB, everything else (stylesheets, Material's bundle, the palette, our stylesheet and "
        f"script, logo and icon) {r1 / 1024:.1f} against {r2 / 1024:.1f} KiB. Search is no longer what a first "
        "view carries; what keeps the ratio near or above 0.6 is the site's own HTML (the banner, the governance "
        "block, the CSP), the colour palette's stylesheet and the site's stylesheet, which plain Material does not "
        "have. On the FAQ page, ours carries every answer (and their JSON-LD), while stock's FAQ page is a short "
        "introduction with each answer on a page of its own."
    )


def section_parts(result: dict) -> dict:
    """Title, method, table rows, goals and notes for bench.py's Section."""
    ours, stock = result["sites"]["ours"], result["sites"]["stock"]
    rows = []
    worst = 0.0
    for label in PAGE_TYPES:
        mine, theirs = ours["views"][label], stock["views"][label]
        ratio = mine[0] / theirs[0]
        worst = max(worst, ratio)
        rows.append(
            [
                f"First view: {label} (`{PAGE_TYPES[label] or '/'}`)",
                f"{mine[0] / 1024:.1f} KiB, {mine[1]} requests",
                f"{theirs[0] / 1024:.1f} KiB, {theirs[1]} requests",
                f"{ratio:.2f}×",
            ]
        )
    rows.insert(
        0,
        [
            f"Query set: wanted page in the top 3 ({result['queries']} queries)",
            f"{ours['rate']:.0%}",
            f"{stock['rate']:.0%}",
            "",
        ],
    )
    rows.append(
        [
            f"First keystroke to first results (fresh visit, median of {TIMING_RUNS})",
            cell_ms(ours["timings"]),
            cell_ms(stock["timings"]),
            "",
        ]
    )
    scored = [label for label in LIGHTHOUSE_PAGES if ours["lighthouse"].get(label) is not None]
    for label in LIGHTHOUSE_PAGES:
        mine, theirs = ours["lighthouse"].get(label), stock["lighthouse"].get(label)
        rows.append(
            [
                f"Lighthouse performance: {label}",
                "not run" if mine is None else f"{mine:.2f}",
                "not run" if theirs is None else f"{theirs:.2f}",
                "",
            ]
        )
    lowest = min((ours["lighthouse"][label] for label in scored), default=None)
    index_ours = [f for f in ours["views"]["Home"][2] if "search_index" in f]
    notes = [
        "Queries stock missed: " + ", ".join(f"'{q}'" for q in stock["misses"]) + ".",
        "Queries ours missed: " + (", ".join(f"'{q}'" for q in ours["misses"]) or "none") + ".",
        "Files of our home page's first view: " + ", ".join(f"`{f}`" for f in ours["views"]["Home"][2]) + ".",
        weight_note(ours["views"]["Home"][2], stock["views"]["Home"][2]),
    ]
    return {
        "title": "6. Search: relevance, first view and time to results",
        "method": (
            "In Debian's Chromium (Playwright), each site served on 127.0.0.1. Stock is plain Material for MkDocs "
            "over the same Markdown: our mkdocs.yml without the hook, our theme overrides, stylesheet and script, "
            "with each FAQ question file as a page of its own (a wanted FAQ answer `faq/#id` is `faq/id/` there). "
            "Query set: `tests/search_queries.yml`, each query typed key by key into the search box; a hit is the "
            "wanted page heading one of the first three result groups (for a wanted FAQ answer, the answer shown "
            "in one of them). First view: every file a fresh visit fetches until the network is idle, counted "
            "gzipped at level 6, as a web server serves it. Time to results: a fresh visit, wait until idle, "
            f"press `/` and type '{TIMING_QUERY}'; from the first keydown to the first result in the list "
            "(ours downloads the index and Material's worker in that time; stock has both already). Lighthouse "
            "12 (npm, pinned in package.json) with Debian's Chromium, performance category only, its default "
            "mobile settings (simulated slow 4G and CPU), the site served gzipped (level 6) from 127.0.0.1."
        ),
        "header": ["Measure", "Ours", "Stock Material", "Ours / stock"],
        "rows": rows,
        "goals": [
            (
                "search-top3",
                "6. Search: query set top-3 ≥ 90%",
                f"{ours['rate']:.0%} (stock {stock['rate']:.0%})",
                ours["rate"] >= 0.9,
            ),
            (
                "search-weight",
                "6. Search: first view gzipped ≤ 0.6 × stock on every page type",
                f"at most {worst:.2f}×",
                worst <= 0.6,
            ),
            (
                "search-lighthouse",
                "6. Search: Lighthouse performance ≥ 0.98 on every page type (served gzipped)",
                "not run (no node_modules/.bin/lighthouse)" if lowest is None else f"lowest {lowest:.2f}",
                lowest is not None and lowest >= 0.98 and len(scored) == len(LIGHTHOUSE_PAGES),
            ),
            (
                "search-lazy",
                "6. Search: no index in a first view",
                "none" if not index_ours else ", ".join(index_ours),
                not index_ours,
            ),
        ],
        "notes": notes,
    }
