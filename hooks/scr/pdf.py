"""PDFs for offline use, rendered with WeasyPrint from each page's HTML through our own print template.

The cache is content-addressed. A PDF's key is a hash of the HTML it is rendered from and the renderer's
fingerprint: the source of every module in this package, every template, the fonts the print stylesheet
names, and the versions of WeasyPrint, pypdf and the libraries they use. A job also has a cheap key (its
inputs as the build gives them) that points at the content key, so a hit costs no HTML work; when the cheap
key misses (as in the offline build, whose page addresses differ) the HTML is made and the content key is
looked up before anything is rendered. Files are written atomically and checked against their recorded hash
on every hit; each result is stored as soon as it is made. Cold builds render in parallel processes, with
any multiprocessing start method (fork, forkserver, spawn).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import multiprocessing
import os
import re
import site as site_packages
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import form
from .errors import EditorError
from .templates import TEMPLATE_DIR, render

PACKAGE_DIR = Path(__file__).resolve().parent
HOOKS_DIR = PACKAGE_DIR.parent  # what a worker process needs on sys.path to import this package
PRINT_CSS = TEMPLATE_DIR / "print" / "print.css"
# The distributions whose code turns our HTML into PDF bytes; what they require is added automatically.
RENDERING_DISTRIBUTIONS = ("weasyprint", "pypdf", "pikepdf", "beautifulsoup4", "jinja2")
START_METHODS = ("fork", "forkserver", "spawn")
PLAN_ATTRIBUTE = 'data-plan="box-continuations"'  # briefings.PLAN_ATTRIBUTE, which pdf.py cannot import


def _distribution_versions() -> list[str]:
    """name==version for each rendering distribution and, recursively, what it requires (those installed)."""
    seen: dict[str, str] = {}
    todo = list(RENDERING_DISTRIBUTIONS)
    while todo:
        name = re.split(r"[^A-Za-z0-9._-]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if not name or name in seen:
            continue
        try:
            seen[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            seen[name] = "absent"
            continue
        todo += [req for req in metadata.requires(name) or [] if "extra ==" not in req]
    return [f"{name}=={version}" for name, version in sorted(seen.items())]


def _font_files() -> list[Path]:
    """The font files fontconfig gives for each family the print stylesheet names (what WeasyPrint embeds)."""
    families = set()
    for value in re.findall(r"font-family:\s*([^;}]+)", PRINT_CSS.read_text(encoding="utf-8")):
        families.update(part.strip().strip("\"'") for part in value.split(","))
    found: set[str] = set()
    for family in sorted(families - {"sans-serif", "serif", "monospace"}):
        try:
            listing = subprocess.run(
                ["fc-list", family, "file"], capture_output=True, text=True, timeout=30, check=False
            ).stdout
        except OSError:  # without fontconfig the cache could not see a font change: stop, do not guess
            raise EditorError(
                "fc-list",
                "fontconfig's fc-list is not installed, so the PDF cache cannot tell which fonts the PDFs embed.",
                "run `make setup` (it installs fontconfig), or install the Debian package fontconfig.",
            ) from None
        found.update(line.strip().rstrip(":") for line in listing.splitlines() if line.strip())
    return [Path(path) for path in sorted(found)]


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """What, besides a job's HTML, decides the bytes. Read once per process; nothing in it is a hand-kept list
    of modules: every module of this package and every template counts."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode() + b"\0")
    for line in _distribution_versions():
        digest.update(line.encode() + b"\0")
    sources = sorted(PACKAGE_DIR.glob("*.py")) + sorted(p for p in TEMPLATE_DIR.rglob("*") if p.is_file())
    for path in sources:
        digest.update(str(path.relative_to(HOOKS_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for font in _font_files():  # system files, changed only by a package upgrade: their size and time suffice
        info = font.stat()
        digest.update(f"{font}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One PDF to make: its file name in downloads/, everything it depends on (the cheap key), and how to
    make its HTML, which only happens when the cheap key is not in the cache.

    New kinds of PDF are new jobs: give `inputs` everything `make_html` reads."""

    name: str
    inputs: str
    make_html: Callable[[], str] = field(compare=False, repr=False)
    forms: bool = False

    @classmethod
    def from_html(cls, name: str, html: str, forms: bool = False) -> Job:
        return cls(name, html, lambda: html, forms)

    def key(self) -> str:
        """The cheap key: the renderer and this job's inputs."""
        return _hash("inputs", renderer_fingerprint(), str(self.forms), self.inputs)


def content_key(html: str, forms: bool) -> str:
    """The key of the PDF itself: the renderer and the exact HTML it renders."""
    return _hash("html", renderer_fingerprint(), str(forms), html)


@dataclass(frozen=True)
class Result:
    name: str
    path: Path  # the PDF in the cache
    size: int
    pages: int
    rendered: bool  # False when it came from the cache
    key: str = ""  # its content key in the cache

    @property
    def label(self) -> str:
        """'PDF, 154 KB, 7 pages': type, size and page count, as the download links show them."""
        kb = max(1, round(self.size / 1024))
        size = f"{kb} KB" if kb < 1024 else f"{self.size / 1024 / 1024:.1f} MB"
        pages = "1 page" if self.pages == 1 else f"{self.pages} pages"
        return f"PDF, {size}, {pages}"


def print_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def _render(task: tuple[str, bool, str]) -> tuple[bytes, int]:
    """Render (html, forms, key) to PDF bytes and its page count (runs in a worker process)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from .pdf_finish import finish

    html, forms, key = task
    # Images are inlined (data: URLs): nothing in a PDF may come from the network.
    local_only = URLFetcher(allowed_protocols={"data", "file"})

    def layout(source: str):
        return HTML(string=source, base_url=str(TEMPLATE_DIR), url_fetcher=local_only).render(pdf_forms=forms)

    if PLAN_ATTRIBUTE in html:  # a 7-minute briefing: label each box that goes on in the next column
        from .briefings import plan_continuations

        html, document = plan_continuations(html, layout)
    else:
        document = layout(html)
    pdf = document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_forms=forms,
        pdf_identifier=key[:32].encode("ascii"),
        custom_metadata=True,
    )
    return finish(pdf, forms), len(document.pages)


class PdfCache:
    """A folder of <content key>.pdf files, each with a .json record (pages, size, SHA-256), and inputs/<cheap
    key> files that each hold a content key. Every write is atomic; every read is checked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        (folder / "inputs").mkdir(parents=True, exist_ok=True)

    def pdf_path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> dict | None:
        """The record of a PDF whose bytes match it, or None (missing, cut short, damaged, unreadable)."""
        try:
            record = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            data = self.pdf_path(key).read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("sha256") != hashlib.sha256(data).hexdigest():
            return None
        if not isinstance(record.get("pages"), int):
            return None
        return record

    def put(self, key: str, pdf: bytes, pages: int) -> dict:
        record = {"pages": pages, "size": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest()}
        _write_atomic(self.pdf_path(key), pdf)
        _write_atomic(self.folder / f"{key}.json", json.dumps(record).encode("utf-8"))  # last: it commits
        return record

    def lookup_inputs(self, input_key: str) -> str | None:
        try:
            key = (self.folder / "inputs" / input_key).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return None
        return key if re.fullmatch(r"[0-9a-f]{64}", key) else None

    def remember_inputs(self, input_key: str, key: str) -> None:
        _write_atomic(self.folder / "inputs" / input_key, key.encode("ascii"))


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: readers see all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_all(jobs: list[Job], cache_dir: Path, workers: int | None = None, method: str | None = None) -> list[Result]:
    """Render every job not already in the cache, in parallel, and return all results in job order.

    Each result is stored as it completes, so a failure in one job keeps every PDF already made.
    """
    cache = PdfCache(cache_dir)
    records: dict[int, tuple[str, dict, bool]] = {}  # job index -> (content key, record, rendered)
    todo: dict[str, tuple[str, list[int], list[str]]] = {}  # content key -> (html, job indexes, cheap keys)
    for index, job in enumerate(jobs):
        input_key = job.key()
        key = cache.lookup_inputs(input_key)
        record = cache.get(key) if key else None
        if record is None:
            html = job.make_html()
            key = content_key(html, job.forms)
            record = cache.get(key)
            if record is None:
                entry = todo.setdefault(key, (html, [], []))
                entry[1].append(index)
                entry[2].append(input_key)
                continue
            cache.remember_inputs(input_key, key)
        records[index] = (key, record, False)

    def store(key: str, pdf: bytes, pages: int) -> None:
        record = cache.put(key, pdf, pages)
        _, indexes, input_keys = todo[key]
        for input_key in input_keys:
            cache.remember_inputs(input_key, key)
        for index in indexes:
            records[index] = (key, record, True)

    # Longest first, so the long handbook runs beside the short documents rather than after them.
    tasks = sorted(((html, jobs[idx[0]].forms, key) for key, (html, idx, _) in todo.items()), key=lambda t: -len(t[0]))
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    if workers == 1:
        for task in tasks:
            store(task[2], *_render(task))
    elif tasks:
        context = multiprocessing.get_context(method)  # None: the platform's default
        # Workers started by forkserver or spawn import this package afresh: give them the hooks folder.
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=site_packages.addsitedir, initargs=(str(HOOKS_DIR),)
        ) as pool:
            pending = {pool.submit(_render, task): task[2] for task in tasks}
            while pending:
                done, _ = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    key = pending.pop(future)
                    if future.exception() is None:
                        store(key, *future.result())
                failed = [future for future in done if future.exception() is not None]
                if failed:
                    # Keep what the other workers finish, then report the first failure.
                    for future in pending:
                        try:
                            store(pending[future], *future.result())
                        except Exception:  # noqa: BLE001 - the first failure is the one reported
                            pass
                    raise failed[0].exception()
    results = []
    for index, job in enumerate(jobs):
        key, record, rendered = records[index]
        results.append(Result(job.name, cache.pdf_path(key), record["size"], record["pages"], rendered, key))
    return results


def prune_cache(cache_dir: Path, keep: set[str], limit: int = 400) -> None:
    """Keep the cache from growing without end: drop the oldest PDFs beyond `limit`, and their pointers."""
    pdfs = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in pdfs[limit:]:
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)
    pointers = sorted((cache_dir / "inputs").glob("*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in pointers[limit * 2 :]:
        path.unlink(missing_ok=True)
    for stale in cache_dir.rglob(".tmp-*"):  # left by a build that was killed mid-write, an hour or more ago
        if time.time() - stale.stat().st_mtime > 3600:
            stale.unlink(missing_ok=True)


@dataclass(frozen=True)
class PrintDocument:
    """A guidance page as the PDFs need it."""

    src_uri: str
    slug: str
    url: str  # the page's address on the live site
    title: str
    owner: str
    last_reviewed: object
    review_due: object
    html: str  # the page's content HTML as MkDocs rendered it
    built_url: str = ""  # the page's address in this build, if not `url` (the offline copy's differ)


def slug_for(src_uri: str) -> str:
    """downloads/<slug>.pdf: 'referrals/making-a-referral.md' -> 'making-a-referral', 'faq/index.md' -> 'faq'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return "home"
    if stem.endswith("/index"):
        stem = stem.removesuffix("/index")
    return stem.rsplit("/", 1)[-1]


def live_path(src_uri: str) -> str:
    """The page's path on the live site (directory URLs), whatever this build uses: 'a/b.md' -> 'a/b/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def prepare(
    doc: PrintDocument,
    page_urls: dict[str, str],
    abbreviations: dict[str, str],
    prefix: str | None = None,
    live: dict[str, str] | None = None,
    assets: dict[str, str] | None = None,
) -> str:
    """Content HTML made ready for print.

    Details open, the first use of each abbreviation spelled out, links to other pages pointing at the live
    site (or, in the handbook, inside the PDF when `prefix` is given), and ids prefixed for the handbook.
    `live` maps this build's page addresses to the live site's, so the offline build makes the same PDFs.
    `assets` maps the addresses of the site's images to their files, which are put into the HTML (data: URLs),
    so the PDF shows the images the page shows.
    """
    from bs4 import BeautifulSoup  # only builds that render a PDF pay for the import

    soup = BeautifulSoup(doc.html, "html.parser")
    for details in soup.find_all("details"):
        details["open"] = ""
    for link in soup.select("a.headerlink, a.footnote-backref"):
        link.decompose()
    seen: set[str] = set()
    for abbr in soup.find_all("abbr"):
        if abbr.find_parent(["h1", "h2", "h3", "h4", "h5", "h6"]):
            continue  # headings become bookmarks: keep them short
        short = abbr.get_text()
        meaning = abbr.get("title") or abbreviations.get(short)
        if meaning and short not in seen:
            seen.add(short)
            before = abbr.previous_sibling
            if not (isinstance(before, str) and before.rstrip().endswith("(")):  # not already "Name (ABBR)"
                abbr.insert_after(f" ({meaning})")
    for image in soup.find_all("img", src=True):
        path = (assets or {}).get(_asset_url(doc, image["src"]))
        if path:
            image["src"] = _data_url(path)
    site_root = _site_root(page_urls)
    for link in soup.find_all("a", href=True):
        link["href"] = _print_href(link["href"], doc.built_url or doc.url, page_urls, prefix, live or {})
        if link["href"].startswith("http") and not link["href"].startswith(site_root):
            link["class"] = [*link.get("class", []), "external"]  # printed with its address
    if prefix is not None:
        for element in soup.find_all(id=True):
            element["id"] = f"{prefix}--{element['id']}"
        for element in soup.find_all(attrs={"aria-labelledby": True}):
            element["aria-labelledby"] = " ".join(f"{prefix}--{i}" for i in element["aria-labelledby"].split())
    return str(soup)


IMAGE_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"", re.I)


def _asset_url(doc: PrintDocument, src: str) -> str:
    """The absolute address of an image a page shows, as this build serves it."""
    return unquote(urljoin(doc.built_url or doc.url, src).split("#", 1)[0].split("?", 1)[0])


def _data_url(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


@lru_cache(maxsize=512)
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def image_hashes(doc: PrintDocument, assets: dict[str, str]) -> dict[str, str]:
    """The content hash of each of the site's images the page shows (part of its PDF's cheap key)."""
    found = {}
    for src in IMAGE_SRC.findall(doc.html):
        path = assets.get(_asset_url(doc, src))
        if path:
            info = os.stat(path)
            found[src] = _file_hash(path, info.st_mtime_ns, info.st_size)
    return found


def _site_root(page_urls: dict[str, str]) -> str:
    return page_urls.get("home") or os.path.commonprefix(list(page_urls.values()))


def _print_href(href: str, page_url: str, page_urls: dict[str, str], prefix: str | None, live: dict) -> str:
    if href.startswith(("mailto:", "tel:")):
        return href
    if href.startswith("#"):  # a footnote or a heading on the same page stays inside the PDF
        return f"#{prefix}--{href[1:]}" if prefix is not None else href
    absolute = urljoin(page_url, href)
    base, _, fragment = absolute.partition("#")
    if base in live:
        absolute = live[base] + (f"#{fragment}" if fragment else "")
    if prefix is None:
        return absolute
    parts = urlsplit(absolute)
    base = absolute.split("#", 1)[0]
    for other_prefix, url in page_urls.items():
        if base == url:
            return f"#{other_prefix}--{parts.fragment}" if parts.fragment else f"#{other_prefix}"
    return absolute


def created(site: dict, *dates) -> str:
    """The PDF's creation date: SOURCE_DATE_EPOCH when set, else the newest review date of what it holds.

    Either way a pure function of the inputs, so the same content gives the same bytes on every build.
    """
    return site.get("created") or max(dates).isoformat()


def document_html(doc: PrintDocument, content: str, site: dict) -> str:
    when = created(site, doc.last_reviewed)
    return render("print/document.html", doc=doc, content=content, site=site, created=when, css=print_css())


def handbook_html(docs: list[tuple[PrintDocument, str]], site: dict) -> str:
    when = created(site, *(doc.last_reviewed for doc, _ in docs))
    return render("print/handbook.html", docs=docs, site=site, created=when, css=print_css())


def form_html(title: str, sections: list, site: dict, contact, reviewed, today: tuple = ()) -> str:
    """The fillable form: `contact` is who received it while the LSCB ran, `today` the contacts for anyone
    with a concern now."""
    return render(
        "print/form.html",
        title=title,
        sections=sections,
        site=site,
        contact=contact,
        today=list(today),
        continuation=form.continuation_section(sections),
        created=created(site, reviewed),
        css=print_css() + (TEMPLATE_DIR / "print" / "form.css").read_text(encoding="utf-8"),
    )


def document_jobs(
    docs: list[PrintDocument],
    site: dict,
    abbreviations: dict,
    live: dict,
    handbook: str | None,
    assets: dict[str, str] | None = None,
) -> list[Job]:
    """A job for each document's PDF and one for the handbook (unless `handbook` is None). Their inputs are the
    documents as the build gives them (and the images they show), so a cache hit costs a hash, not a page of HTML
    processing."""
    assets = assets or {}
    page_urls = {doc.slug: doc.url for doc in docs}
    shared = json.dumps([site, abbreviations, live, page_urls], sort_keys=True, default=str)
    inputs = {
        doc.slug: shared + json.dumps([asdict(doc), image_hashes(doc, assets)], sort_keys=True, default=str)
        for doc in docs
    }

    def one(doc: PrintDocument) -> Callable[[], str]:
        return lambda: document_html(doc, prepare(doc, page_urls, abbreviations, live=live, assets=assets), site)

    def whole() -> str:
        prepared = [(d, prepare(d, page_urls, abbreviations, prefix=d.slug, live=live, assets=assets)) for d in docs]
        return handbook_html(prepared, site)

    jobs = [Job(doc.slug + ".pdf", inputs[doc.slug], one(doc)) for doc in docs]
    if handbook:
        jobs.append(Job(handbook, "".join(inputs[doc.slug] for doc in docs), whole))
    return jobs


def form_job(name: str, title: str, sections: list, site: dict, contact, reviewed, today: tuple = ()) -> Job:
    """The fillable form's job: its inputs are the parsed questions, the contacts and the site's details."""
    inputs = json.dumps(
        [title, [asdict(s) for s in sections], site, asdict(contact), reviewed, [asdict(c) for c in today]],
        default=str,
    )
    return Job(name, inputs, lambda: form_html(title, sections, site, contact, reviewed, today), forms=True)
