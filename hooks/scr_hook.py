"""The MkDocs build hook: a thin adapter from MkDocs events to the generators in hooks/scr/.

Each event does a few lines of MkDocs-specific work and calls plain functions. Editors' mistakes
come back as a PluginError naming the file, line and fix (no traceback).
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path
from urllib.parse import urljoin

import scr.briefings as briefings  # issue 14: 7-minute briefings
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url
from scr import contacts, diagram, faq, form, glossary, history, offline, pdf, register, safety, security, themes
from scr.errors import EditorError
from scr.site import HISTORY_PAGE, Settings, SiteContent
from scr.templates import render

log = get_plugin_logger("scr")
content: SiteContent | None = None  # reset by on_config for every build
command: str | None = None  # "build", "serve" or "gh-deploy"; set once per process by on_startup
HANDBOOK = "scr-guidance-handbook.pdf"
OFFLINE_ZIP = "scr-guidance-offline.zip"


def editor_errors(event):
    """Turn an EditorError into the one-paragraph build failure editors see."""

    @functools.wraps(event)
    def wrapper(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except EditorError as error:
            raise PluginError(error.message) from None

    return wrapper


def on_startup(command, dirty):
    globals()["command"] = command


def pdfs_enabled() -> bool:
    """PDFs are made by every build, but not by `mkdocs serve` unless SCR_PDF=1 asks for them."""
    setting = os.environ.get("SCR_PDF")
    if setting in ("0", "1"):
        return setting == "1"
    return command != "serve"


@editor_errors
def on_config(config):
    global content
    from scr import messages  # MkDocs' own link and nav warnings, reworded with file, line and fix

    messages.install(config.docs_dir, config.config_file_path)
    content = SiteContent(Settings.from_extra(config.extra))
    content.allow_list = safety.load_allow_list(config.extra.get("safety_allow_list"))
    # Snippet paths in mkdocs.yml are relative to the project, not to wherever mkdocs was started.
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    snippets["base_path"] = [os.path.join(root, path) for path in snippets.get("base_path", ["."])]
    return config


@editor_errors
def on_files(files: Files, config) -> Files:
    docs_dir = config.docs_dir
    content.read_abbreviations(docs_dir)
    for file in files.documentation_pages(inclusion=lambda _: True):
        source = file.content_string
        safety.check_markdown(source, "docs/" + file.src_uri, content.allow_list)
        if file.src_uri.startswith("faq/") and file.src_uri != "faq/index.md":
            content.read_question(file.src_uri, source)
        elif file.inclusion.is_included() and not file.generated_by:
            content.read_page(file.src_uri, source)
    content.finish()
    content.updated = history.last_commit_dates(Path(config.config_file_path).parent)
    if HISTORY_PAGE not in content.governance:
        raise EditorError(f"docs/{HISTORY_PAGE}", "this page is missing.", "historical notes link to it: restore it.")
    if content.themes and not themes.add_to_nav(config.nav or [], content.themes):
        raise EditorError(
            "mkdocs.yml (nav)",
            f"no navigation section contains {themes.INDEX}, so the theme pages cannot be listed.",
            f"keep `- {themes.INDEX}` as the first item of the Practice themes section.",
        )
    report_overdue(config)
    root = Path(config.config_file_path).parent
    for dest, source in offline.shim_sources(config.extra.get("polyfills"), root).items():
        files.append(File.generated(config, dest, abs_src_path=str(source)))
    if pdfs_enabled():
        add_pdf_files(files, config)
    register_md = register.render_register(
        ordered_pages(config), content.settings.statuses, content.settings.today, content.pdf_links
    )
    files.append(File.generated(config, register.PATH, content=register_md, inclusion=InclusionLevel.INCLUDED))
    return files


def add_pdf_files(files: Files, config) -> None:
    """Reserve downloads/*.pdf in the site's files now (so links to them validate); on_env fills them."""
    names = {}
    for gov in ordered_pages(config):
        src = gov.path.removeprefix("docs/")
        name = pdf.slug_for(src) + ".pdf"
        if name in names:
            raise EditorError(
                gov.path,
                f"its PDF would be downloads/{name}, the same as for {names[name]}.",
                "rename one of the two files so their names differ.",
            )
        names[name] = gov.path
        content.pdf_links[src] = "downloads/" + name
    extra = [HANDBOOK] + [form_pdf_name(doc) for doc in content.documents.values() if "form" in doc.meta]
    if briefings.enabled():  # issue 14: a 7-minute briefing for every practice theme
        extra += [briefings.file_name(theme.src_uri) for theme in content.themes]
    for name in [*names, *extra]:
        file = File.generated(config, "downloads/" + name, content=b"", inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        content.pdf_files[name] = file


def form_pdf_name(doc) -> str:
    return f"{doc.meta['form']}-form.pdf"


def ordered_pages(config) -> list:
    """Governance of every page, in the order the navigation lists them."""
    order = []

    def walk(items):
        for item in items or []:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value in content.governance and value not in order:
                order.append(value)

    walk(config.nav)
    order += [uri for uri in content.governance if uri not in order]
    return [content.governance[uri] for uri in order]


def report_overdue(config) -> None:
    allow = content.settings.allow_overdue_reviews or os.environ.get("SCR_ALLOW_OVERDUE_REVIEWS") == "1"
    for page in content.overdue():
        message = EditorError(
            page.path,
            f"the review was due on {page.review_due:%Y-%m-%d} and is overdue (owner: {page.owner}).",
            f"ask the owner ({page.owner}) to review the page, then set last_reviewed to the date of the review "
            "and review_due to the next one (see CONTRIBUTING.md, 'Record a review').",
            line=page.review_due_line,
        ).message
        if allow:
            log.info("Emergency publish: " + message)
        else:
            log.warning(message)


@editor_errors
def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    # Our `status` (current/historical) is not Material's page status: keep it out of the nav icons.
    page.meta.pop("status", None)
    doc = content.documents.get(src)
    first_line = doc.markdown_line if doc else 1
    if doc and "form" in doc.meta:
        sections = form.parse(markdown, doc.path, first_line)
        markdown = form.render_reading_version(markdown, sections, first_line)
    markdown = contacts.render_markers(markdown, "docs/" + src, content.settings.contacts, first_line)
    if src == "faq/index.md":
        markdown = faq.render_page(markdown, content.questions, content.settings.faq_topics, "docs/" + src)
    elif src == themes.INDEX:
        markdown = themes.render_index(markdown, content.themes, "docs/" + src)
    elif themes.is_theme(src):
        theme = next(t for t in content.themes if t.src_uri == src)
        markdown = themes.add_related(markdown, theme, content.themes, content.questions)
    if doc and diagram.MARKER in markdown:
        markdown = diagram.render_page(markdown, doc, f"{page.title}: the process and its timescales")
    markdown = glossary.render_page(markdown, content.abbreviations)
    gov = content.governance.get(src)
    if gov and gov.status == "historical":
        markdown = add_after_title(markdown, render("historical-note.md", link=content.history_link(src)))
    return markdown


def add_after_title(markdown: str, block: str) -> str:
    """Insert a block after the page's `# Title` line (or at the top if there is none)."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: index + 1] + ["", block.rstrip("\n"), ""] + lines[index + 1 :])
    return block + "\n" + markdown


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri == "faq/index.md":
        page.meta["faq_json_ld"] = faq.json_ld(faq.visible_pairs(html))
    content.page_html[page.file.src_uri] = (page.url, html)
    return html


@editor_errors
def on_env(env, config, files):
    env.globals["scr_banner_contacts"] = [content.settings.contacts[key] for key in config.extra["worried_banner"]]
    if content.pdf_files:
        render_pdfs(config)
    return env


def render_pdfs(config) -> None:
    """Render every PDF that changed (in parallel), reuse the rest from the cache, and fill downloads/."""
    started = time.monotonic()
    site = {
        "organisation": config.extra.get("organisation", config.site_name),
        "name": config.site_name,
        "url": config.site_url or "",
        "created": pdf_date(),
    }
    abbreviations = {a.abbr: a.meaning for a in content.abbreviations}
    # PDFs always give the live site's addresses, so the offline build (other URLs) makes the same files.
    live = {
        urljoin(site["url"], url): urljoin(site["url"], pdf.live_path(src))
        for src, (url, _) in content.page_html.items()
    }
    docs = []
    for gov in ordered_pages(config):
        src = gov.path.removeprefix("docs/")
        url, html = content.page_html[src]
        built = urljoin(site["url"], url)
        docs.append(
            pdf.Document(
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
    jobs = pdf.document_jobs(docs, site, abbreviations, live, HANDBOOK)
    for src, doc in content.documents.items():
        if "form" in doc.meta:
            sections = form.parse(doc.body.lstrip("\n"), doc.path, doc.markdown_line)
            form_site = {**site, "form_url": urljoin(site["url"], pdf.live_path(src))}
            gov = content.governance[src]
            contact = content.settings.contacts["business-manager"]
            jobs.append(pdf.form_job(form_pdf_name(doc), gov.title, sections, form_site, contact, gov.last_reviewed))
    briefing_jobs = []
    if briefings.enabled():  # issue 14: 7-minute briefings, rendered with the other PDFs
        worried = [content.settings.contacts[key] for key in config.extra["worried_banner"]]
        briefing_jobs = briefings.briefing_jobs(content.themes, docs, site, abbreviations, live, worried)
        jobs += briefing_jobs
    cache = Path(os.environ.get("SCR_PDF_CACHE") or Path(config.config_file_path).parent / ".cache" / "pdf")
    workers = int(os.environ.get("SCR_PDF_WORKERS") or 0) or None  # default: one per core
    results = pdf.render_all(jobs, cache, workers)
    for result in results:
        content.pdf_files[result.name].content_bytes = result.path.read_bytes()
        content.pdf_results[result.name] = result
    pdf.prune_cache(cache, keep={job.key() for job in jobs})
    rendered = sum(r.rendered for r in results)
    log.info(
        f"PDFs: {rendered} rendered, {len(results) - rendered} reused from cache ({time.monotonic() - started:.1f} s)"
    )
    briefings.check_lengths(briefing_jobs, results, content.themes)


def pdf_date() -> str | None:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set, so identical inputs give identical bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def on_page_context(context, page, config, nav):
    context["governance"] = content.governance.get(page.file.src_uri) if content else None
    if context["governance"]:
        # From git; outside git or in a shallow clone, the date of the last review instead.
        context["last_updated"] = content.updated.get(page.file.src_uri, context["governance"].last_reviewed)
    context["statuses"] = content.settings.statuses if content else {}
    context["audiences"] = content.settings.audiences if content else {}
    if content:
        page.content = add_downloads(page, config)
    return context


def add_downloads(page, config) -> str:
    """Put the page's PDF link(s) under its title, and the full list where <!-- downloads:list --> is."""
    html = page.content or ""
    src = page.file.src_uri

    def link(name: str, text: str) -> dict | None:
        result = content.pdf_results.get(name)
        if not result:
            return None
        return {"href": content.pdf_files[name].url_relative_to(page.file), "text": text, "label": result.label}

    own = []
    if src in content.pdf_links:
        own.append(link(content.pdf_links[src].removeprefix("downloads/"), "Download this guidance"))
    doc = content.documents.get(src)
    if doc and "form" in doc.meta:
        own.insert(0, link(form_pdf_name(doc), "Download the fillable referral form"))
    if themes.is_theme(src):  # issue 14
        own.append(link(briefings.file_name(src), "Download the 7-minute briefing for team meetings"))
    own = [item for item in own if item]
    if own and "</h1>" in html:
        block = render("downloads.html", links=own)
        html = html.replace("</h1>", "</h1>\n" + block, 1)
    if "<!-- downloads:list -->" in html:
        everything = [link(HANDBOOK, "The whole guidance in one file (handbook)")]
        for name in content.pdf_files:
            if name.endswith(briefings.SUFFIX):
                continue  # listed under <!-- downloads:briefings -->
            owner = next((s for s, path in content.pdf_links.items() if path == "downloads/" + name), None)
            if owner:
                everything.append(link(name, content.governance[owner].title))
            elif name != HANDBOOK:
                everything.append(link(name, "The fillable referral form"))
        block = render("downloads-list.html", links=[item for item in everything if item])
        html = html.replace("<!-- downloads:list -->", block, 1)
    if briefings.MARKER in html:  # issue 14: every briefing, in the themes' order
        found = [link(name, title) for name, title in briefings.links(content.themes, content.pdf_results)]
        html = html.replace(briefings.MARKER, render("downloads-list.html", links=[i for i in found if i]), 1)
    if "<!-- downloads:offline -->" in html:
        # The zip is made by `make build` after this build (it needs a second build); it says so with SCR_OFFLINE_ZIP.
        html = html.replace(
            "<!-- downloads:offline -->",
            render(
                "downloads-offline.html",
                href=get_relative_url("downloads/" + OFFLINE_ZIP, page.url),
                zip_made=os.environ.get("SCR_OFFLINE_ZIP") == "1",
                is_offline_copy=os.environ.get("SCR_OFFLINE_COPY") == "1",
                site_url=config.site_url,
            ),
        )
    return html


def secure(html: str) -> str:
    """Valid markup and a Content-Security-Policy for one HTML file (not in the offline copy: file:// has no origin)."""
    html = security.fix_material_markup(html)
    if os.environ.get("SCR_OFFLINE_COPY") == "1":
        return html
    html, hashes = security.add_csp_meta(html)
    content.script_hashes.update(hashes)
    return html


def on_post_page(output: str, page, config) -> str:
    return secure(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        output_content = security.add_skip_link(output_content, "page-not-found")
    return secure(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config) -> None:
    if os.environ.get("SCR_OFFLINE_COPY") != "1":
        headers = security.headers_file(sorted(content.script_hashes))
        Path(config.site_dir, "_headers").write_text(headers, encoding="utf-8")
