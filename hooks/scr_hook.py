"""The MkDocs build hook: a thin adapter from MkDocs events to the generators in hooks/scr/.

Each event does a few lines of MkDocs-specific work and calls plain functions. Editors' mistakes
come back as a PluginError naming the file, line and fix (no traceback).
"""

from __future__ import annotations

import functools
import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from scr import contacts, diagram, faq, form, glossary, register, themes
from scr.errors import EditorError
from scr.site import HISTORY_PAGE, Settings, SiteContent
from scr.templates import render

log = get_plugin_logger("scr")
content: SiteContent | None = None  # reset by on_config for every build


def editor_errors(event):
    """Turn an EditorError into the one-paragraph build failure editors see."""

    @functools.wraps(event)
    def wrapper(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except EditorError as error:
            raise PluginError(error.message) from None

    return wrapper


@editor_errors
def on_config(config):
    global content
    content = SiteContent(Settings.from_extra(config.extra))
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
        if file.src_uri.startswith("faq/") and file.src_uri != "faq/index.md":
            content.read_question(file.src_uri, source)
        elif file.inclusion.is_included() and not file.generated_by:
            content.read_page(file.src_uri, source)
    content.finish()
    if HISTORY_PAGE not in content.governance:
        raise EditorError(f"docs/{HISTORY_PAGE}", "this page is missing.", "historical notes link to it: restore it.")
    if content.themes and not themes.add_to_nav(config.nav or [], content.themes):
        raise EditorError(
            "mkdocs.yml (nav)",
            f"no navigation section contains {themes.INDEX}, so the theme pages cannot be listed.",
            f"keep `- {themes.INDEX}` as the first item of the Practice themes section.",
        )
    report_overdue(config)
    register_md = register.render_register(ordered_pages(config), content.settings.statuses, content.settings.today)
    files.append(File.generated(config, register.PATH, content=register_md, inclusion=InclusionLevel.INCLUDED))
    return files


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
        message = (
            f"{page.path}: the review was due on {page.review_due:%Y-%m-%d} and is overdue. "
            f"Ask the owner ({page.owner}) to review the page, then set last_reviewed to the date of the "
            "review and review_due to the next one (see CONTRIBUTING.md, 'Record a review')."
        )
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
    return html


def on_env(env, config, files):
    env.globals["scr_banner_contacts"] = [content.settings.contacts[key] for key in config.extra["worried_banner"]]
    return env


def on_page_context(context, page, config, nav):
    context["governance"] = content.governance.get(page.file.src_uri) if content else None
    context["statuses"] = content.settings.statuses if content else {}
    context["audiences"] = content.settings.audiences if content else {}
    return context
