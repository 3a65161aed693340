"""What the hook knows about one build: checked settings, every page's governance, FAQ and themes.

Built afresh for every build (the hook module outlives rebuilds under `mkdocs serve`).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from . import contacts, faq, glossary, names, themes
from .errors import EditorError
from .frontmatter import Document, Governance, check_governance, parse

ABBREVIATIONS = "_snippets/abbreviations.md"
HISTORY_PAGE = "about-scrs.md"
HISTORY_ANCHOR = "what-replaced-serious-case-reviews"


def _mapping(extra: dict, key: str) -> dict[str, str]:
    value = extra.get(key)
    if not isinstance(value, dict) or not value:
        raise EditorError(
            "mkdocs.yml", f"`extra: {key}:` is missing or empty.", f"restore the `{key}:` list under `extra:`."
        )
    return {str(k): str(v) for k, v in value.items()}


@dataclass
class Settings:
    """Site-wide values from mkdocs.yml `extra:`, checked once per build."""

    contacts: dict[str, contacts.Contact]
    audiences: dict[str, str]
    statuses: dict[str, str]
    faq_topics: dict[str, str]
    tags: dict[str, str]
    allow_overdue_reviews: bool
    today: dt.date
    names: dict[str, str] = field(default_factory=dict)  # extra.names: bodies' names, one place each

    @classmethod
    def from_extra(cls, extra: dict, today: dt.date | None = None) -> Settings:
        banner = extra.get("worried_banner") or []
        loaded = contacts.load(extra.get("contacts"))
        for key in banner:
            if key not in loaded:
                raise EditorError(
                    "mkdocs.yml (extra.worried_banner)",
                    f"unknown contact {key!r}.",
                    f"use keys from `extra: contacts:` ({', '.join(loaded)}).",
                )
        return cls(
            contacts=loaded,
            audiences=_mapping(extra, "audiences"),
            statuses=_mapping(extra, "statuses"),
            faq_topics=_mapping(extra, "faq_topics"),
            tags=_mapping(extra, "tags"),
            allow_overdue_reviews=bool(extra.get("allow_overdue_reviews", False)),
            today=today or dt.date.today(),
            names=names.load(extra["names"]) if "names" in extra else {},
        )


@dataclass
class SiteContent:
    """Everything read from docs/ in one pass, before any page is rendered."""

    settings: Settings
    documents: dict[str, Document] = field(default_factory=dict)  # by src_uri
    governance: dict[str, Governance] = field(default_factory=dict)  # by src_uri
    questions: list[faq.Question] = field(default_factory=list)
    themes: list[themes.Theme] = field(default_factory=list)
    abbreviations: list[glossary.Abbreviation] = field(default_factory=list)
    page_html: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri -> (url, content HTML)
    pdf_links: dict[str, str] = field(default_factory=dict)  # src_uri -> downloads/<slug>.pdf
    pdf_files: dict = field(default_factory=dict)  # file name -> mkdocs File reserved in downloads/
    pdf_results: dict = field(default_factory=dict)  # file name -> pdf.Result
    allow_list: object = None  # safety.AllowList from extra.safety_allow_list
    script_hashes: set[str] = field(default_factory=set)  # CSP hashes of every inline script on the site
    updated: dict[str, dt.date] = field(default_factory=dict)  # src_uri -> date of its last commit
    search_keywords: dict[str, list[str]] = field(default_factory=dict)  # search index location -> keywords

    def read_page(self, src_uri: str, text: str) -> None:
        doc = parse(text, "docs/" + src_uri)
        self.documents[src_uri] = doc
        gov = check_governance(doc, self.settings.audiences, self.settings.statuses)
        self.governance[src_uri] = gov
        if themes.is_theme(src_uri):
            self.themes.append(themes.parse_theme(doc, self.settings.tags))

    def read_question(self, src_uri: str, text: str) -> None:
        doc = parse(text, "docs/" + src_uri)
        self.questions.append(faq.parse_question(doc, self.settings.faq_topics, self.settings.tags))

    def read_abbreviations(self, docs_dir: str) -> None:
        path = Path(docs_dir) / ABBREVIATIONS
        if not path.is_file():
            raise EditorError(
                "docs/" + ABBREVIATIONS,
                "the abbreviations file is missing; every page's tooltips and the glossary come from it.",
                "restore it from the last good version of the site.",
            )
        self.abbreviations = glossary.parse(path.read_text(encoding="utf-8"), "docs/" + ABBREVIATIONS)

    def finish(self) -> None:
        self.questions = faq.collect(self.questions, self.settings.faq_topics)

    def history_link(self, src_uri: str) -> str:
        """Relative link from a page to the section on what replaced SCRs."""
        here = posixpath.dirname(src_uri) or "."
        return posixpath.relpath(HISTORY_PAGE, here) + "#" + HISTORY_ANCHOR

    def overdue(self) -> list[Governance]:
        return [g for g in self.governance.values() if g.overdue(self.settings.today)]
