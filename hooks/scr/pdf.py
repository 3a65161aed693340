"""PDFs for offline use, rendered with WeasyPrint from each page's HTML through our own print template.

A PDF is a pure function of its HTML and the options: the cache key is a hash of both and the WeasyPrint
version, so an unchanged document is never rendered twice. Cold builds render in parallel processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .templates import TEMPLATE_DIR, render

PRINT_CSS = TEMPLATE_DIR / "print" / "print.css"


@lru_cache(maxsize=1)
def _renderer_fingerprint() -> str:
    """What, besides a job's inputs, decides the bytes: WeasyPrint's version, the print templates and
    stylesheet, and this module's code. Read once per process."""
    digest = hashlib.sha256(version("weasyprint").encode())
    for path in sorted((TEMPLATE_DIR / "print").rglob("*")) + [Path(__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One PDF to make: its file name in downloads/, everything it depends on (the cache key), and how to
    make its HTML, which only happens when the PDF is not in the cache."""

    name: str
    inputs: str
    make_html: Callable[[], str] = field(compare=False, repr=False)
    forms: bool = False

    @classmethod
    def from_html(cls, name: str, html: str, forms: bool = False) -> Job:
        return cls(name, html, lambda: html, forms)

    def key(self) -> str:
        digest = hashlib.sha256()
        for part in (_renderer_fingerprint(), str(self.forms), self.inputs):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()


@dataclass(frozen=True)
class Result:
    name: str
    path: Path  # the PDF in the cache
    size: int
    pages: int
    rendered: bool  # False when it came from the cache

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

    html, forms, key = task
    document = HTML(string=html, base_url=str(TEMPLATE_DIR)).render(pdf_forms=forms)
    pdf = document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_forms=forms,
        pdf_identifier=key[:32].encode("ascii"),
        custom_metadata=True,
    )
    if forms:
        pdf = _radio_groups_as_one_field(pdf)
    return pdf, len(document.pages)


def _radio_groups_as_one_field(pdf: bytes) -> bytes:
    """WeasyPrint names each radio button as well as its group; PDF readers then see separate fields.

    Drop the name from the buttons so each group is one field with one answer.
    """
    import io

    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            if "/Parent" in widget and "/T" in widget:
                for key in ("/T", "/TU"):
                    widget.pop(NameObject(key), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_all(jobs: list[Job], cache_dir: Path, workers: int | None = None) -> list[Result]:
    """Render every job not already in the cache, in parallel, and return all results in job order."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = [job.key() for job in jobs]
    todo = [(job, key) for job, key in zip(jobs, keys, strict=True) if not _cached(cache_dir, key)]
    if todo:
        tasks = [(job.make_html(), job.forms, key) for job, key in todo]
        # Longest first, so the long handbook runs beside the short documents rather than after them.
        order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i][0]))
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        if workers == 1:
            done = [_render(tasks[i]) for i in order]
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                done = list(pool.map(_render, [tasks[i] for i in order]))
        outputs = [None] * len(tasks)
        for i, output in zip(order, done, strict=True):
            outputs[i] = output
        for (_, key), (pdf, pages) in zip(todo, outputs, strict=True):
            (cache_dir / f"{key}.pdf").write_bytes(pdf)
            (cache_dir / f"{key}.json").write_text(json.dumps({"pages": pages}), encoding="utf-8")
    fresh = {key for _, key in todo}
    results = []
    for job, key in zip(jobs, keys, strict=True):
        path = cache_dir / f"{key}.pdf"
        pages = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))["pages"]
        results.append(Result(job.name, path, path.stat().st_size, pages, key in fresh))
    return results


def _cached(cache_dir: Path, key: str) -> bool:
    return (cache_dir / f"{key}.pdf").is_file() and (cache_dir / f"{key}.json").is_file()


def copy_results(results: list[Result], target_dir: Path) -> None:
    target_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        shutil.copyfile(result.path, target_dir / result.name)


def prune_cache(cache_dir: Path, keep: set[str], limit: int = 400) -> None:
    """Keep the cache from growing without end: drop the oldest files beyond `limit` PDFs."""
    pdfs = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in pdfs[limit:]:
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)


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
) -> str:
    """Content HTML made ready for print.

    Details open, the first use of each abbreviation spelled out, links to other pages pointing at the live
    site (or, in the handbook, inside the PDF when `prefix` is given), and ids prefixed for the handbook.
    `live` maps this build's page addresses to the live site's, so the offline build makes the same PDFs.
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


def form_html(title: str, intro: str, sections: list, site: dict, contact, reviewed) -> str:
    return render(
        "print/form.html",
        title=title,
        intro=intro,
        sections=sections,
        site=site,
        contact=contact,
        created=created(site, reviewed),
        css=print_css(),
    )


def document_jobs(docs: list[PrintDocument], site: dict, abbreviations: dict, live: dict, handbook: str) -> list[Job]:
    """A job for each document's PDF and one for the handbook. Their inputs are the documents as the
    build gives them, so a cache hit costs a hash, not a page of HTML processing."""
    page_urls = {doc.slug: doc.url for doc in docs}
    shared = json.dumps([site, abbreviations, live, page_urls], sort_keys=True, default=str)
    inputs = {doc.slug: shared + json.dumps(asdict(doc), sort_keys=True, default=str) for doc in docs}

    def one(doc: PrintDocument) -> Callable[[], str]:
        return lambda: document_html(doc, prepare(doc, page_urls, abbreviations, live=live), site)

    def whole() -> str:
        return handbook_html([(d, prepare(d, page_urls, abbreviations, prefix=d.slug, live=live)) for d in docs], site)

    jobs = [Job(doc.slug + ".pdf", inputs[doc.slug], one(doc)) for doc in docs]
    jobs.append(Job(handbook, "".join(inputs[doc.slug] for doc in docs), whole))
    return jobs


def form_job(name: str, title: str, sections: list, site: dict, contact, reviewed) -> Job:
    """The fillable form's job: its inputs are the parsed questions, the contact and the site's details."""
    inputs = json.dumps([title, [asdict(s) for s in sections], site, asdict(contact), reviewed], default=str)
    return Job(name, inputs, lambda: form_html(title, [], sections, site, contact, reviewed), forms=True)
