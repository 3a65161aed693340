"""What the hook knows about one build: checked settings, every page's governance, FAQ and themes.

Built afresh for every build (the hook module outlives rebuilds under `mkdocs serve`).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import body_checks, contacts, faq, glossary, names, nav, reviews, themes
from .errors import EditorError
from .frontmatter import Governance, MarkdownFile, check_governance, parse
from .options import Options, review_day
from .source_files import read_text
from .tags import check_tags
from .yaml_source import SourceMap

ABBREVIATIONS = "_snippets/abbreviations.md"
HISTORY_PAGE = "about-scrs.md"
HISTORY_ANCHOR = "what-replaced-serious-case-reviews"


MKDOCS_YML = "mkdocs.yml"
DEFAULT_FORM_CONTACT = "business-manager"


def _where(key: str) -> str:
    return f"{MKDOCS_YML} (extra.{key})"


def _mapping(extra: dict, key: str) -> dict[str, str]:
    """A required `key: label` list under `extra:` (audiences, statuses, FAQ topics, tags)."""
    value = extra.get(key)
    if not isinstance(value, dict) or not value:
        raise EditorError(
            _where(key),
            f"`extra: {key}:` is missing, empty or not a list of `name: label` lines.",
            f"restore the `{key}:` list under `extra:`, one `name: label` per line.",
        )
    for name, label in value.items():
        if not isinstance(name, str | int) or not isinstance(label, str) or not label.strip():
            raise EditorError(
                _where(key),
                f"the entry {name!r} has the value {label!r}, which is not a line of text.",
                f"write each entry under `{key}:` as `name: label`, for example `{name}: A short label`.",
            )
    return {str(k): v.strip() for k, v in value.items()}


def _owners(extra: dict) -> list[str]:
    """`extra: owners:`, the teams a page's `owner:` may name: a list of names, each once."""
    value = extra.get("owners")
    if not isinstance(value, list) or not value:
        raise EditorError(
            _where("owners"),
            "`extra: owners:` is missing, empty or not a list.",
            "restore the `owners:` list under `extra:`, one `- Team name` per line (each page's `owner:` is one of "
            "them).",
        )
    seen: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name.strip():
            raise EditorError(
                _where("owners"),
                f"the entry {name!r} is not a name.",
                "write each owner under `owners:` as `- Team name`, on a line of its own.",
            )
        if name.strip() in seen:
            raise EditorError(
                _where("owners"), f"{name.strip()!r} is listed twice.", "delete one of the two lines under `owners:`."
            )
        seen.append(name.strip())
    return seen


def _text(extra: dict, key: str, default: str | None) -> str | None:
    value = extra.get(key, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise EditorError(
            _where(key),
            f"`{key}` is {value!r}, which is not a line of text.",
            f"write `{key}:` followed by text on the same line.",
        )
    return value.strip() if isinstance(value, str) else value


def _contact_keys(extra: dict, key: str, loaded: dict) -> list[str]:
    """A non-empty list of contact keys (the worried banner): each must be in `extra: contacts:`."""
    value = extra.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        shape = "missing or empty" if not value else f"{value!r}, which is not a list of contact names"
        raise EditorError(
            _where(key),
            f"`{key}` is {shape}. Every page shows these numbers to people worried about a child now.",
            f"write one contact name per line under `{key}:`, each as `- KEY`, using keys from "
            f"`extra: contacts:` ({', '.join(loaded)}).",
        )
    for item in value:
        if item not in loaded:
            raise EditorError(
                _where(key),
                f"unknown contact {item!r}.",
                f"use keys from `extra: contacts:` ({', '.join(loaded)}).",
            )
    return value


@dataclass
class Settings:
    """Site-wide values from mkdocs.yml `extra:`, checked once per build."""

    contacts: dict[str, contacts.Contact]
    audiences: dict[str, str]
    statuses: dict[str, str]
    faq_topics: dict[str, str]
    tags: dict[str, str]
    owners: list[str]  # extra.owners: the teams a page's `owner:` may name
    today: dt.date  # the day review dates are compared with (SCR_TODAY: options.review_day)
    names: dict[str, str] = field(default_factory=dict)  # extra.names: bodies' names, one place each
    banner: list[str] = field(default_factory=list)  # contact keys for the "Worried about a child?" line
    organisation: str | None = None
    form_contact: str = DEFAULT_FORM_CONTACT  # the contact printed on the fillable form

    @classmethod
    def from_extra(cls, extra: dict, today: dt.date | None = None, source: SourceMap | None = None) -> Settings:
        """Check `extra:`; `source` (mkdocs.yml read by yaml_source) puts each mistake's line in its message."""
        try:
            return cls._from_extra(extra, today, source)
        except EditorError as error:
            key = re.search(r"\(extra\.([\w-]+)\)", error.path)
            if source and key and error.line is None:
                error.line = source.line("extra", key.group(1))
            raise

    @classmethod
    def _from_extra(cls, extra: dict, today: dt.date | None, source: SourceMap | None) -> Settings:
        if extra is None:
            extra = {}
        if not isinstance(extra, Mapping):
            raise EditorError(MKDOCS_YML, "`extra:` is not a list of settings.", "restore the `extra:` section.")
        known_names = names.load(extra["names"]) if "names" in extra else {}
        loaded = contacts.load(extra.get("contacts"), source, known_names)
        form_contact = _text(extra, "form_contact", DEFAULT_FORM_CONTACT)
        if form_contact not in loaded:
            raise EditorError(
                _where("form_contact"),
                f"the referral form's contact {form_contact!r} is not under `extra: contacts:`.",
                f"set `form_contact:` under `extra:` to one of {', '.join(loaded)}.",
            )
        organisation = _text(extra, "organisation", None)
        if organisation in known_names:
            raise EditorError(
                _where("organisation"), *names.written_without_star("organisation", organisation, "`extra:`")
            )
        return cls(
            contacts=loaded,
            audiences=_mapping(extra, "audiences"),
            statuses=_mapping(extra, "statuses"),
            faq_topics=_mapping(extra, "faq_topics"),
            tags=_mapping(extra, "tags"),
            owners=_owners(extra),
            today=today or review_day(),
            names=known_names,
            banner=_contact_keys(extra, "worried_banner", loaded),
            organisation=organisation,
            form_contact=form_contact,
        )


def check_top_level(settings: dict, content: SiteContent, source: SourceMap | None) -> None:
    """mkdocs.yml's own settings an editor may touch: a name written as its key without the * (site_author,
    copyright), and an edit_uri that is not a whole web address (without repo_url, MkDocs uses it as it is)."""

    def error(key: str, problem: str, fix: str) -> EditorError:
        return EditorError(
            source.file(key) if source else MKDOCS_YML, problem, fix, line=source.line(key) if source else None
        )

    for key in ("site_author", "copyright"):
        value = settings.get(key)
        if isinstance(value, str) and value.strip() in content.settings.names:
            raise error(key, *names.written_without_star(key, value.strip(), MKDOCS_YML))
    edit_uri = settings.get("edit_uri")
    if edit_uri and not settings.get("repo_url"):
        problem = contacts.url_problem(edit_uri)
        if problem:
            raise error(
                "edit_uri",
                f'`edit_uri: {edit_uri}`, the address of each page\'s "Edit this page" link, {problem}.',
                contacts.url_fix(edit_uri).replace("url:", "edit_uri:"),
            )


@dataclass
class SiteContent:
    """Everything read from docs/ in one pass, before any page is rendered."""

    settings: Settings
    documents: dict[str, MarkdownFile] = field(default_factory=dict)  # by src_uri
    governance: dict[str, Governance] = field(default_factory=dict)  # by src_uri
    questions: list[faq.FaqQuestion] = field(default_factory=list)
    themes: list[themes.Theme] = field(default_factory=list)
    abbreviations: list[glossary.Abbreviation] = field(default_factory=list)
    page_html: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri -> (url, content HTML)
    pdf_links: dict[str, str] = field(default_factory=dict)  # src_uri -> downloads/<slug>.pdf
    pdf_names: list[str] = field(default_factory=list)  # every PDF this site has, made or not in this build
    pdf_files: dict = field(default_factory=dict)  # file name -> mkdocs File reserved in downloads/
    pdf_results: dict = field(default_factory=dict)  # file name -> pdf.Result
    allow_list: object = None  # safety.AllowList from extra.safety_allow_list
    script_hashes: set[str] = field(default_factory=set)  # CSP hashes of every inline script on the site
    updated: dict[str, dt.date] = field(default_factory=dict)  # src_uri -> date of its last commit
    search_keywords: dict[str, list[str]] = field(default_factory=dict)  # search index location -> keywords
    options: Options = field(default_factory=Options)  # the build's settings from the environment (options.py)

    def read_page(self, src_uri: str, text: str) -> None:
        doc = parse(text, "docs/" + src_uri)
        names.render_meta(doc.meta, doc.path, self.settings.names, doc.line_of)
        self.documents[src_uri] = doc
        gov = check_governance(
            doc, self.settings.audiences, self.settings.statuses, self.settings.today, self.settings.owners
        )
        body_checks.check_title_heading(doc.path, doc.body, doc.body_line, gov.title, doc.line_of("title"))
        self.governance[src_uri] = gov
        if themes.is_theme(src_uri):
            self.themes.append(themes.parse_theme(doc, self.settings.tags))
            themes.check_briefing_sections(doc)
        elif "tags" in doc.meta:  # search finds a page by its tags' names too
            check_tags(doc, self.settings.tags)

    def read_question(self, src_uri: str, text: str) -> None:
        doc = parse(text, "docs/" + src_uri)
        names.render_meta(doc.meta, doc.path, self.settings.names, doc.line_of)
        self.questions.append(
            faq.parse_question(
                doc, self.settings.faq_topics, self.settings.tags, self.settings.contacts, self.settings.names
            )
        )

    def read_abbreviations(self, docs_dir: str) -> None:
        path = Path(docs_dir) / ABBREVIATIONS
        if not path.is_file():
            raise EditorError(
                "docs/" + ABBREVIATIONS,
                "the abbreviations file is missing; every page's tooltips and the glossary come from it.",
                "restore it from the last good version of the site.",
            )
        # utf-8-sig: a file saved on Windows may start with a byte-order mark, which is not part of the text.
        self.abbreviations = glossary.parse(read_text(path, "docs/" + ABBREVIATIONS), "docs/" + ABBREVIATIONS)

    def finish(self) -> None:
        self.questions = faq.collect(self.questions, self.settings.faq_topics)
        self.check_titles()

    def check_titles(self) -> None:
        """No two pages with one title: the menu, the theme cards, search and the downloads would show two alike."""
        seen: dict[str, Governance] = {}
        for src, gov in sorted(self.governance.items()):
            other = seen.setdefault(gov.title.casefold(), gov)
            if other is not gov:
                raise EditorError(
                    gov.path,
                    f"the title {gov.title!r} is already the title of {other.path}, so the menu, the cards, search "
                    "and the downloads would show two items alike.",
                    "give this page a title of its own (in `title:` and in the `#` heading); if it is a copy made as "
                    "a starting point, change its title first.",
                    line=self.documents[src].line_of("title"),
                )

    def history_link(self, src_uri: str) -> str:
        """Relative link from a page to the section on what replaced SCRs."""
        here = posixpath.dirname(src_uri) or "."
        return posixpath.relpath(HISTORY_PAGE, here) + "#" + HISTORY_ANCHOR

    def due_reviews(self) -> list[reviews.DueReview]:
        """Pages whose review has passed or falls due soon, for the build log and `make lint`."""
        return reviews.due_reviews(self.governance.values(), self.settings.today)

    def review_link(self, src_uri: str, target: str) -> str:
        """Relative link from a page to another page of the site."""
        return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")

    def ordered_pages(self, nav_items: list | None) -> list[Governance]:
        """Governance of every page, in the order the navigation lists them (pages not in it last)."""
        order = [uri for uri in nav.all_paths(nav_items) if uri in self.governance]
        order = list(dict.fromkeys(order + list(self.governance)))
        return [self.governance[uri] for uri in order]
