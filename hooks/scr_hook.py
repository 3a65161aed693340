"""The MkDocs build hook: a thin adapter from MkDocs events to the generators in hooks/scr/.

Each event does a few lines of MkDocs-specific work and calls plain functions. Editors' mistakes
come back as a PluginError naming the file, line and fix (no traceback).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url
from scr import (
    body_checks,
    briefings,
    cms,
    config_file,
    contacts,
    diagram,
    downloads,
    faq,
    fonts,
    form,
    glossary,
    history,
    markdown_text,
    names,
    offline,
    options,
    redirects,
    register,
    safety,
    search,
    security,
    serve_errors,
    snippets,
    source_files,
    themes,
)
from scr.errors import EditorError, EditorErrors
from scr.site import HISTORY_PAGE, Settings, SiteContent, check_top_level
from scr.templates import render

log = get_plugin_logger("scr")
content: SiteContent | None = None  # reset by on_config for every build
settings: options.Options = options.Options()  # the environment's settings, read once by on_config
editor: Path | None = None  # the web editor's fetched script, found once by on_config (None: left out)
command: str | None = None  # "build", "serve" or "gh-deploy"; set once per process by on_startup


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
    return settings.pdf if settings.pdf is not None else command != "serve"


@editor_errors
def on_config(config):
    global content, settings, editor
    from scr import messages  # MkDocs' own link and nav warnings, reworded with file, line and fix

    settings = options.Options.from_environ()
    messages.install(config.docs_dir, config.config_file_path)
    # mkdocs.yml again, strictly: a key written twice (which MkDocs lets pass), and each setting's line.
    _, source = config_file.load_with_source(config.config_file_path)
    content = SiteContent(Settings.from_extra(config.extra, today=settings.review_day, source=source))
    content.options = settings
    if settings.preview_dir:  # a pull request's preview: every address carries its folder
        config.site_url = urljoin(config.site_url or "/", settings.preview_dir)
        config.extra["scr_preview"] = True
    check_top_level(
        {key: config.get(key) for key in ("site_author", "copyright", "edit_uri", "repo_url")}, content, source
    )
    content.allow_list = safety.load_allow_list(config.extra.get("safety_allow_list"))
    editor = editor_script(config)  # a web build without the fetched editor stops here, not after every page and PDF
    # Snippet paths in mkdocs.yml are relative to the project, not to wherever mkdocs was started; and a
    # snippet saved on Windows may start with a byte-order mark, which is not text.
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    snippets["base_path"] = [os.path.join(root, path) for path in snippets.get("base_path", ["."])]
    snippets.setdefault("encoding", "utf-8-sig")
    return config


@editor_errors
def on_files(files: Files, config) -> Files:
    content.read_abbreviations(config.docs_dir)
    mistakes = []  # one for each file, all reported together, so that one round of fixes clears them
    for file in files:
        try:
            read_file(file, config)
        except EditorError as error:
            mistakes.append(error)
    if mistakes:
        raise EditorErrors(mistakes)
    content.finish()
    # On GitHub Actions a checkout git cannot read fails the build rather than publish wrong dates.
    content.updated = history.last_commit_dates(
        Path(config.config_file_path).parent, required=settings.on_github_actions
    )
    if HISTORY_PAGE not in content.governance:
        raise EditorError(f"docs/{HISTORY_PAGE}", "this page is missing.", "historical notes link to it: restore it.")
    if content.themes and not themes.add_to_nav(config.nav or [], content.themes):
        raise EditorError(
            "mkdocs.yml (nav)",
            f"no navigation section contains {themes.INDEX}, so the theme pages cannot be listed.",
            f"keep `- {themes.INDEX}` as the first item of the Practice themes section.",
        )
    for review in content.due_reviews():  # listed for the owners; a due review never stops publishing
        log.info(review.message)
    root = Path(config.config_file_path).parent
    for dest, source in offline.shim_sources(config.extra.get("polyfills"), root).items():
        files.append(File.generated(config, dest, abs_src_path=str(source)))
    add_search_worker(files, config)
    pages = content.ordered_pages(config.nav)
    # Checked with PDFs on or off, so a clash of names fails the preview as it fails production.
    links, content.pdf_names = downloads.plan(
        pages, content.documents, content.themes, settings.briefings, settings.handbook
    )
    if pdfs_enabled():
        # Reserve downloads/*.pdf now (so links to them validate); on_env fills them.
        content.pdf_links = links
        for name in content.pdf_names:
            file = File.generated(config, downloads.FOLDER + name, content=b"", inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(file)
            content.pdf_files[name] = file
    add_redirects(files, config)
    register_md = register.render_register(pages, content.settings.statuses, content.settings.today, content.pdf_links)
    files.append(File.generated(config, register.PATH, content=register_md, inclusion=InclusionLevel.INCLUDED))
    return files


def read_file(file: File, config) -> None:
    """Check one file of docs/ and read what the build needs from it: pages and FAQ questions, and SVG images."""
    label = "docs/" + file.src_uri
    if file.is_documentation_page():
        source = source_files.read_text(file.abs_src_path, label) if file.abs_src_path else file.content_string
        safety.check_markdown(source, label, content.allow_list)
        root = os.path.dirname(config.config_file_path)
        snippets.check(source, label, config.mdx_configs.get("pymdownx.snippets", {}), root)
        fonts.check(source, label)
        if file.src_uri.startswith("faq/") and file.src_uri != "faq/index.md":
            content.read_question(file.src_uri, source)
        elif file.inclusion.is_included() and not file.generated_by:
            content.read_page(file.src_uri, source)
    elif file.src_uri.lower().endswith(".svg") and file.abs_src_path and not file.generated_by:
        safety.check_svg(source_files.read_text(file.abs_src_path, label), label)


def add_redirects(files: Files, config) -> None:
    """A page at each old address listed under `extra: redirects:`, sending readers to the page's new one."""
    sources = {file.src_uri for file in files.documentation_pages(inclusion=lambda _: True)}
    for moved in redirects.load(config.extra.get("redirects"), sources, config.config_file_path):
        old = File(moved.old, config.docs_dir, config.site_dir, config.use_directory_urls)
        new = files.get_file_from_path(moved.new)
        gov = content.governance.get(moved.new)
        html = redirects.page(get_relative_url(new.url, old.url), gov.title if gov else moved.new)
        files.append(File.generated(config, old.dest_uri, content=html))


def add_search_worker(files: Files, config) -> None:
    """Our search worker (hooks/templates/search-worker.js), beside Material's, which it wraps, and the page's
    script (hooks/templates/search.js) that overrides/main.html loads before Material's bundle."""
    base = config.theme.get_env().loader.get_source(config.theme.get_env(), "base.html")[0]
    script = search.worker_script(search.material_worker_name(base))
    files.append(File.generated(config, search.WORKER, content=script, inclusion=InclusionLevel.NOT_IN_NAV))
    files.append(File.generated(config, search.PAGE_SCRIPT, content=search.page_script()))


@editor_errors
def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    # Our `status` (current/historical) is not Material's page status: keep it out of the nav icons.
    page.meta.pop("status", None)
    doc = content.documents.get(src)
    first_line = doc.markdown_line if doc else 1
    for key in ("title", "description"):  # with their name markers made names (the tab, the search results)
        if doc and isinstance(doc.meta.get(key), str) and key in page.meta:
            page.meta[key] = doc.meta[key]
    # Names first: contact cards and the form add lines, and a wrong name must give its own line.
    markdown = names.render_markdown(markdown, "docs/" + src, content.settings.names, first_line)
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
    if gov:
        markdown = markdown_text.ensure_title(markdown, gov.title)  # the download links go under it
        if gov.status == "historical":
            note = render("historical-note.md", link=content.history_link(src))
            markdown = markdown_text.add_after_title(markdown, note)
        if gov.overdue(content.settings.today):
            link = content.review_link(src, offline.WORRIED_PAGE)
            markdown = markdown_text.add_after_title(markdown, render("review-note.md", page=gov, worried=link))
    return markdown


@event_priority(-100)  # after the other plugins' on_page_content; the search plugin indexes in on_page_context
@editor_errors
def on_page_content(html: str, page, config, files) -> str:
    src = page.file.src_uri
    html = names.render_html(html, "docs/" + src, content.settings.names)  # markers from snippets
    if src == "faq/index.md":
        page.meta["faq_json_ld"] = faq.json_ld(faq.visible_pairs(html))
        for question in content.questions:
            words = search.page_keywords({"keywords": question.keywords, "tags": question.tags}, content.settings.tags)
            content.search_keywords[f"{page.url}#{question.id}"] = words
    missing_notes = body_checks.undefined_footnotes(html)
    if missing_notes:
        raise body_checks.undefined_footnote_error(missing_notes[0], footnote_sources(src, config))
    content.page_html[src] = (page.url, html)
    doc = content.documents.get(src)
    if doc:
        words = search.page_keywords(doc.meta, content.settings.tags)
        if glossary.MARKER in doc.body:  # the A to Z defines every abbreviation: a search for one finds it there
            words += [abbreviation.abbr for abbreviation in content.abbreviations]
        content.search_keywords[page.url] = words
    return search.exclude_sections(html)


def footnote_sources(src: str, config) -> list[tuple[str, str, int]]:
    """(path, body, first line) of the page's own file and, for the FAQ page, each question file in it."""
    sources = []
    doc = content.documents.get(src)
    if doc:
        sources.append((doc.path, doc.body, doc.body_line))
    if src == "faq/index.md":
        for question in content.questions:
            text = Path(config.docs_dir, question.path.removeprefix("docs/")).read_text(encoding="utf-8-sig")
            sources.append((question.path, text, 1))
    return sources


@editor_errors
def on_env(env, config, files):
    env.globals["scr_banner_contacts"] = [content.settings.contacts[key] for key in content.settings.banner]
    env.globals["scr_worried_url"] = offline.worried_page(files).url  # "….html" in the offline copy
    env.globals["scr_search_help"] = search.help_links(
        files, content.documents, config.extra.get("redirects") or {}, env.globals["scr_worried_url"], glossary.MARKER
    )
    if content.pdf_files:
        site_url = config.site_url or ""
        site = downloads.SiteDetails(
            content.settings.organisation or config.site_name, config.site_name, site_url, settings.source_date
        )
        assets = {urljoin(site_url, f.url): f.abs_src_path for f in files.media_files() if f.abs_src_path}
        jobs = downloads.make_jobs(content, site, content.ordered_pages(config.nav), assets)
        cache = settings.pdf_cache or Path(config.config_file_path).parent / ".cache" / "pdf"
        results, summary = downloads.render_pdfs(jobs, cache, settings.pdf_workers, settings.pdf_start_method)
        for result in results:
            content.pdf_files[result.name].content_bytes = result.path.read_bytes()
            content.pdf_results[result.name] = result
        log.info(summary)
        briefings.check_lengths(jobs, results, content.themes)  # a briefing over two pages fails the build
    return env


def on_serve(server, config, builder):
    """`mkdocs serve`: a failed rebuild shows its message in the browser (hooks/scr/serve_errors.py)."""
    return serve_errors.install(server, builder, config.config_file_path)


def on_page_context(context, page, config, nav):
    context["governance"] = content.governance.get(page.file.src_uri) if content else None
    if context["governance"]:
        # From git; outside git or in a shallow clone, the date of the last review instead.
        context["last_updated"] = content.updated.get(page.file.src_uri, context["governance"].last_reviewed)
    context["statuses"] = content.settings.statuses if content else {}
    context["audiences"] = content.settings.audiences if content else {}
    if content:
        offline_block = {
            "href": get_relative_url(downloads.FOLDER + downloads.OFFLINE_ZIP, page.url),
            "zip_made": settings.offline_zip,
            "is_offline_copy": settings.offline_copy,
            "site_url": config.site_url,
        }
        page.content = downloads.add_links(
            page.content or "",
            downloads.page_pdfs(page.file.src_uri, content),
            downloads.all_pdfs(content),
            content.pdf_results,
            lambda name: content.pdf_files[name].url_relative_to(page.file),
            offline_block,
            briefings.links(content.themes, content.pdf_results),
        )
    return context


def secure(html: str) -> str:
    """Valid markup and a Content-Security-Policy for one HTML file (not in the offline copy: file:// has no origin)."""
    html = search.use_our_worker(security.fix_material_markup(html))
    if settings.offline_copy:
        return html
    html, hashes = security.add_csp_meta(html)
    content.script_hashes.update(hashes)
    return html


def on_post_page(output: str, page, config) -> str:
    return secure(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        output_content = security.add_skip_link(output_content, "page-not-found")
        if settings.offline_copy:  # opened from disk beside index.html: no absolute paths
            output_content = offline.relative_links(output_content, urlsplit(config.site_url or "/").path)
    return secure(output_content) if template_name.endswith(".html") else output_content


def editor_script(config) -> Path | None:
    """Decap's fetched script for /admin/, or None where the editor is left out on purpose: SCR_CMS=0 (`make
    check-content`, which fetches nothing) and `mkdocs serve` without it (`make cms` fetches it). Any other web
    build without it fails, naming the command that fetches it, before any page is built."""
    if settings.offline_copy:
        return None
    if not settings.cms:
        log.info("The web editor (/admin/) is left out: SCR_CMS=0.")
        return None
    root = Path(config.config_file_path).parent
    script = cms.installed_script(root)
    if script is None and command == "serve":
        log.info(f"The web editor (/admin/) is left out: it is not fetched ({cms.FETCH_COMMAND}, or use make cms).")
    elif script is None:
        raise cms.not_fetched(root)
    return script


@editor_errors
def write_editor(config) -> str:
    """The web editor at /admin/ (hooks/scr/cms.py), in the web build only; returns its `_headers` block."""
    script = editor
    if script is None:
        return ""
    repo = cms.repository(config.repo_url, config.edit_uri)
    if repo is None:
        raise EditorError(
            "mkdocs.yml (edit_uri)",
            "the web editor at /admin/ saves to a GitHub repository, and neither repo_url nor edit_uri names one.",
            "set edit_uri to the repository's address, like https://github.com/OWNER/REPOSITORY/edit/main/docs/",
        )
    auth = cms.check_auth(config.extra.get("cms"))
    choices = cms.Choices(
        **{key: getattr(content.settings, key) for key in ("audiences", "statuses", "faq_topics", "tags")},
        owners=tuple(content.settings.owners),
    )
    pages = [(gov.path.removeprefix("docs/"), gov.title) for gov in content.ordered_pages(config.nav)]
    pages = [(src, title) for src, title in pages if not themes.is_theme(src)]
    local = settings.cms_local_backend or cms.DEFAULT_LOCAL_BACKEND
    data = cms.config(choices, pages, repo, config.site_url, local, auth)
    cms.write(Path(config.site_dir), script, data, config.site_name, local, auth, config.theme.get("favicon"))
    return cms.headers_block(local, auth)


def on_post_build(config) -> None:
    if not settings.offline_copy:
        headers = security.headers_file(sorted(content.script_hashes)) + write_editor(config)
        Path(config.site_dir, "_headers").write_text(headers, encoding="utf-8")
    # Runs after the search plugin has written the index and before the offline plugin inlines it.
    search.rewrite_index_files(
        config.site_dir, content.search_keywords, search.abbreviation_synonyms(content.abbreviations)
    )
