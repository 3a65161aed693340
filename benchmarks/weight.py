"""Page weight: what a first visit to each built page downloads, counted from the built files."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
FONT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", re.I)
HOST = "site.invalid"  # pages are resolved as if served from https://site.invalid/


@dataclass(frozen=True)
class Page:
    """One page's first visit: files fetched, bytes raw and gzipped, and requests to other hosts."""

    path: str
    requests: int
    raw: int
    gzipped: int
    html_gzipped: int  # the page itself
    search_gzipped: int  # the search worker and index
    data_raw: int  # inline JSON data blocks in the page (Material's config, JSON-LD)
    third_party: tuple[str, ...]


@cache
def sizes(path: Path) -> tuple[int, int]:
    """A file's size raw and gzipped (level 6, as web servers commonly serve it)."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6, mtime=0))


def page_url(site: Path, html: Path) -> str:
    return f"https://{HOST}/{html.relative_to(site).as_posix()}"


def referenced(soup: BeautifulSoup, url: str) -> list[str]:
    """Stylesheets, scripts, images and icons the HTML itself asks for, as absolute URLs."""
    found = [link["href"] for link in soup.find_all("link", href=True) if _fetched_link(link)]
    found += [tag["src"] for tag in soup.find_all(["script", "img"], src=True)]
    config = soup.find("script", id="__config")
    if config and config.string:
        worker = json.loads(config.string).get("search")
        base = json.loads(config.string).get("base", ".")
        if worker and worker.endswith("scr-search.js"):  # ours: the index waits until a visitor searches
            found += [worker]
        elif worker:  # Material starts the search worker on load; it fetches the index straight away
            found += [worker, base.rstrip("/") + "/search/search_index.json"]
    return [urljoin(url, item) for item in found]


def _fetched_link(link) -> bool:
    rel = {value.lower() for value in link.get("rel", [])}
    return bool(rel & {"stylesheet", "icon", "preload", "modulepreload"})


def fonts_in_css(css: Path, css_url: str) -> list[str]:
    """Font files a stylesheet loads with url(...)."""
    text = css.read_text(encoding="utf-8", errors="replace")
    return [urljoin(css_url, match) for match in CSS_URL.findall(text) if FONT.search(match)]


def local_file(site: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.hostname != HOST:
        return None
    path = site / parts.path.lstrip("/")
    return path / "index.html" if path.is_dir() else path


def measure_page(site: Path, html: Path) -> Page:
    """Everything the first visit to one page downloads, fonts in its stylesheets included."""
    url = page_url(site, html)
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    urls = referenced(soup, url)
    for item in list(urls):
        file = local_file(site, item)
        if file and file.suffix == ".css" and file.is_file():
            urls += fonts_in_css(file, item)
    urls = list(dict.fromkeys(urls))
    files = [html] + [f for f in (local_file(site, u) for u in urls) if f and f.is_file()]
    search = [f for f in files if f.name in ("search_index.json", "search.js") or "workers" in f.parts]
    third = tuple(u for u in urls if urlsplit(u).hostname not in (HOST, None))
    return Page(
        path=html.relative_to(site).as_posix(),
        requests=1 + len(urls),
        raw=sum(sizes(f)[0] for f in files),
        gzipped=sum(sizes(f)[1] for f in files),
        html_gzipped=sizes(html)[1],
        search_gzipped=sum(sizes(f)[1] for f in search),
        data_raw=sum(len(str(tag).encode()) for tag in soup.find_all("script", type=re.compile("json"))),
        third_party=third,
    )


def measure_site(site: Path) -> dict:
    """Per-page weights of a built site, summarised: median page, heaviest page, third-party requests."""
    pages = [
        measure_page(site, html)
        for html in sorted(site.rglob("*.html"))
        if html.name != "404.html" and not html.relative_to(site).as_posix().startswith("admin/")  # the web editor
    ]
    heaviest = max(pages, key=lambda page: page.gzipped)
    return {
        "pages": len(pages),
        "median_raw": statistics.median(p.raw for p in pages),
        "median_gzipped": statistics.median(p.gzipped for p in pages),
        "median_requests": statistics.median(p.requests for p in pages),
        "median_html_gzipped": statistics.median(p.html_gzipped for p in pages),
        "search_gzipped": statistics.median(p.search_gzipped for p in pages),
        "heaviest": heaviest,
        "third_party": sorted({url for page in pages for url in page.third_party}),
        "search_index": (site / "search" / "search_index.json").stat().st_size,
    }
