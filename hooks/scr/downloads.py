"""The downloads: which PDFs a build makes, rendering them (through pdf.py's cache), and the links to them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from . import briefings, form, pdf, themes
from .errors import EditorError
from .frontmatter import Governance, MarkdownFile
from .templates import render

HANDBOOK = "scr-guidance-handbook.pdf"
OFFLINE_ZIP = "scr-guidance-offline.zip"
FOLDER = "downloads/"


def form_pdf_name(doc: MarkdownFile) -> str:
    return f"{doc.meta['form']}-form.pdf"


def plan(
    pages: list[Governance],
    documents: dict[str, MarkdownFile],
    theme_list: list | tuple = (),
    with_briefings: bool = True,
    with_handbook: bool = True,
) -> tuple[dict[str, str], list[str]]:
    """The PDF of each page (src_uri -> downloads/<name>.pdf) and every PDF file name, in navigation order.

    Run on every build, with PDFs or without, so a name clash fails the preview as it fails production."""
    # The handbook's and the briefings' names are taken first (always, so the preview fails as production does).
    taken = {HANDBOOK: "the handbook (the whole guidance in one PDF)"}
    taken.update({briefings.file_name(t.src_uri): f"the 7-minute briefing of docs/{t.src_uri}" for t in theme_list})
    names: dict[str, str] = {}
    links = {}
    for gov in pages:
        src = gov.path.removeprefix("docs/")
        name = pdf.slug_for(src) + ".pdf"
        if name in names or name in taken:
            other = names[name] if name in names else taken[name]
            which = "one of the two files" if name in names else "this file (its PDF is named after it)"
            raise EditorError(
                gov.path,
                f"its PDF would be downloads/{name}, the same as for {other}, so one of the two would be lost.",
                f"rename {which} so the names differ (see CONTRIBUTING.md, 'Rename or remove a page', to keep a "
                "published page's old address working).",
            )
        names[name] = gov.path
        links[src] = FOLDER + name
    forms = []
    for doc in documents.values():
        if "form" in doc.meta:
            name = form_pdf_name(doc)
            if name in names or name in taken or name in forms:
                raise EditorError(
                    doc.path,
                    f"its fillable form's PDF would be downloads/{name}, the name of another PDF.",
                    "give the form a different name in the front matter (`form:`).",
                    line=doc.line_of("form"),
                )
            forms.append(name)
    briefs = [briefings.file_name(theme.src_uri) for theme in theme_list] if with_briefings else []
    return links, [*names, *([HANDBOOK] if with_handbook else []), *forms, *briefs]


@dataclass(frozen=True)
class SiteDetails:
    """What every PDF prints about the site."""

    organisation: str
    name: str
    url: str
    created: str | None  # from SOURCE_DATE_EPOCH, when set

    def as_dict(self) -> dict:
        return {"organisation": self.organisation, "name": self.name, "url": self.url, "created": self.created}


def make_jobs(content, site: SiteDetails, pages: list[Governance], assets: dict[str, str]) -> list[pdf.Job]:
    """A job for every PDF: each page, the handbook, each fillable form and each theme's 7-minute briefing."""
    details = site.as_dict()
    abbreviations = {a.abbr: a.meaning for a in content.abbreviations}
    # PDFs always give the live site's addresses, so the offline build (other URLs) makes the same files.
    live = {
        urljoin(site.url, url): urljoin(site.url, pdf.live_path(src)) for src, (url, _) in content.page_html.items()
    }
    docs = []
    for gov in pages:
        src = gov.path.removeprefix("docs/")
        url, html = content.page_html[src]
        built = urljoin(site.url, url)
        docs.append(
            pdf.PrintDocument(
                src,
                pdf.slug_for(src),
                live[built],
                gov.title,
                gov.owner,
                gov.last_reviewed,
                gov.review_due,
                html,
                built_url=built,
            )
        )
    jobs = pdf.document_jobs(docs, details, abbreviations, live, HANDBOOK if content.options.handbook else None, assets)
    contact = content.settings.contacts[content.settings.form_contact]
    # The form is a historical record: it points anyone with a concern today to the "Worried about a child?"
    # contacts and to today's partnership (the contact named as extra.names' partnership-board).
    settings = content.settings
    partnership = settings.names.get("partnership-board")
    today = tuple(settings.contacts[key] for key in settings.banner) + tuple(
        c for c in settings.contacts.values() if partnership and c.name == partnership
    )
    for src, doc in content.documents.items():
        if "form" in doc.meta:
            sections = form.parse(doc.body.lstrip("\n"), doc.path, doc.markdown_line)
            form_site = {**details, "form_url": urljoin(site.url, pdf.live_path(src))}
            gov = content.governance[src]
            jobs.append(
                pdf.form_job(form_pdf_name(doc), gov.title, sections, form_site, contact, gov.last_reviewed, today)
            )
    if content.options.briefings:  # a 7-minute briefing for every practice theme, rendered with the other PDFs
        worried = [content.settings.contacts[key] for key in content.settings.banner]
        # Box 4 points professionals to today's partnership, by the name it uses itself (extra.names).
        briefing_site = {**details, "partnership": content.settings.names.get("partnership-board")}
        jobs += briefings.briefing_jobs(content.themes, docs, briefing_site, abbreviations, live, worried)
    return jobs


def render_pdfs(
    jobs: list[pdf.Job], cache: Path, workers: int | None = None, method: str | None = None
) -> tuple[list[pdf.Result], str]:
    """Render what changed (in parallel: `workers` processes, one per core by default, started by `method`),
    reuse the rest, and say so in one line for the build's log."""
    started = time.monotonic()
    results = pdf.render_all(jobs, cache, workers, method)
    pdf.prune_cache(cache, keep={result.key for result in results})
    rendered = sum(r.rendered for r in results)
    seconds = time.monotonic() - started
    return results, f"PDFs: {rendered} rendered, {len(results) - rendered} reused from cache ({seconds:.1f} s)"


def add_links(
    html: str,
    own: list[tuple[str, str]],
    everything: list[tuple[str, str]] | None,
    results: dict[str, pdf.Result],
    href: Callable[[str], str],
    offline: dict | None = None,
    briefing_list: list[tuple[str, str]] | None = None,
) -> str:
    """Put a page's own PDF link(s) under its title, and the full list where <!-- downloads:list --> is.

    `own` and `everything` are (file name, link text) pairs; a PDF this build did not make is left out."""

    def links(pairs):
        return [
            {"href": href(name), "text": text, "label": results[name].label} for name, text in pairs if name in results
        ]

    own_links = links(own)
    if own_links and "</h1>" in html:
        html = html.replace("</h1>", "</h1>\n" + render("downloads.html", links=own_links), 1)
    if everything is not None and "<!-- downloads:list -->" in html:
        html = html.replace("<!-- downloads:list -->", render("downloads-list.html", links=links(everything)), 1)
    if briefing_list is not None and briefings.MARKER in html:
        html = html.replace(briefings.MARKER, render("downloads-list.html", links=links(briefing_list)), 1)
    if offline is not None and "<!-- downloads:offline -->" in html:
        # The zip is made by `make build` after this build (it needs a second build); it says so with SCR_OFFLINE_ZIP.
        html = html.replace("<!-- downloads:offline -->", render("downloads-offline.html", **offline))
    return html


def page_pdfs(src: str, content) -> list[tuple[str, str]]:
    """The PDFs a page links under its title: its fillable form first, then the page itself."""
    own = []
    doc = content.documents.get(src)
    if doc and "form" in doc.meta:
        own.append((form_pdf_name(doc), "Download the fillable referral form"))
    if src in content.pdf_links:
        own.append((content.pdf_links[src].removeprefix(FOLDER), "Download this guidance"))
    if themes.is_theme(src):
        own.append((briefings.file_name(src), "Download the 7-minute briefing for team meetings"))
    return own


def all_pdfs(content) -> list[tuple[str, str]]:
    """Every PDF for the Downloads page: the handbook, then each page's in navigation order, then the forms."""
    everything = [(HANDBOOK, "The whole guidance in one file (handbook)")]
    owners = {path.removeprefix(FOLDER): src for src, path in content.pdf_links.items()}
    for name in content.pdf_names:
        if name.endswith(briefings.SUFFIX):
            continue  # listed under <!-- downloads:briefings -->
        if name in owners:
            everything.append((name, content.governance[owners[name]].title))
        elif name != HANDBOOK:
            everything.append((name, "The fillable referral form"))
    return everything
