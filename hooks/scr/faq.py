"""The FAQ: one Markdown file per question under docs/faq/, assembled into faq/index.md."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from html import unescape

from . import contacts, names
from .body_checks import check_answer
from .errors import EditorError
from .frontmatter import MarkdownFile, one_of, require, text, whole_number
from .search import check_search_meta
from .tags import check_tags
from .templates import render

MARKER = "<!-- faq:index -->"
FIELDS = ("id", "question", "topic", "order", "tags", "keywords")
REQUIRED = ("id", "question", "topic", "order")  # `tags` too: check_tags refuses a question without
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
INDEX_ANCHOR = "all-questions"


@dataclass(frozen=True)
class FaqQuestion:
    id: str
    question: str
    topic: str
    order: int
    tags: tuple[str, ...]
    answer: str
    path: str
    id_line: int = 1
    keywords: tuple[str, ...] = ()  # extra words search should find the question by


def parse_question(
    doc: MarkdownFile,
    topics: dict[str, str],
    known_tags: dict[str, str],
    contact_list: dict | None = None,
    name_list: dict[str, str] | None = None,
) -> FaqQuestion:
    """Check one question file's front matter and answer; name and contact markers in the answer are rendered
    here, because the answer is put into the FAQ page after the page's own markers are."""
    meta = doc.meta
    for key in meta:
        if key not in FIELDS:
            guess = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f"did you mean `{guess[0]}`? " if guess else ""
            raise EditorError(
                doc.path,
                f"unknown field `{key}` in this FAQ question, so it would be ignored.",
                f"{hint}The fields a question can have are: {', '.join(FIELDS)}. Every question in docs/faq/ is "
                "published: keep one that is not ready in your pull request until it is.",
                line=doc.line_of(str(key)),
            )
    examples = {
        "id": "when-do-you-have-an-scr",
        "question": "When do you have an SCR?",
        "topic": next(iter(topics), "when"),
        "order": "10",
    }
    require(
        doc,
        {key: examples[key] for key in REQUIRED},
        "this FAQ question",
        " (see CONTRIBUTING.md, 'Add a FAQ question')",
    )
    qid = str(meta["id"])
    if not isinstance(meta["id"], str) or not ID_PATTERN.fullmatch(qid):
        raise EditorError(
            doc.path,
            f"the id {qid!r} can only use lower-case letters, digits and single hyphens.",
            "write it like when-do-you-have-an-scr. It becomes the web address of the answer, so never change "
            "it once published.",
            line=doc.line_of("id"),
        )
    topic = one_of(
        doc,
        "topic",
        topics,
        "topic",
        f"use one of: {', '.join(topics)} (the list is `extra: faq_topics:` in mkdocs.yml).",
    )
    order = whole_number(
        doc, "order", "write a whole number such as order: 30; questions in a topic are listed from low to high."
    )
    check_search_meta({"keywords": meta.get("keywords")}, doc.path, doc.line_of)
    check_answer(doc.path, doc.body, doc.body_line)  # a second question pasted in, a heading
    body = names.render_markdown(doc.body, doc.path, name_list or {}, doc.body_line)
    body = contacts.render_markers(body, doc.path, contact_list or {}, doc.body_line)
    answer = re.sub(r"<!--.*?-->", "", body, flags=re.S).strip()
    if not answer:
        raise EditorError(
            doc.path,
            "the answer is empty.",
            "write the answer below the closing --- of the front matter.",
            line=doc.body_line,
        )
    return FaqQuestion(
        id=qid,
        question=text(doc, "question"),
        topic=topic,
        order=order,
        tags=tuple(check_tags(doc, known_tags)),
        answer=answer,
        path=doc.path,
        id_line=doc.line_of("id"),
        keywords=tuple(str(k).strip() for k in meta.get("keywords") or []),
    )


def collect(questions: list[FaqQuestion], topics: dict[str, str]) -> list[FaqQuestion]:
    """Sort questions by topic then order, and fail on a repeated id."""
    seen: dict[str, FaqQuestion] = {}
    for q in questions:
        if q.id in seen:
            raise EditorError(
                q.path,
                f"the id {q.id!r} is already used by {seen[q.id].path}.",
                "give this question a different id: each id must be unique because it is the answer's web address.",
                line=q.id_line,
            )
        seen[q.id] = q
    topic_rank = {t: i for i, t in enumerate(topics)}
    return sorted(questions, key=lambda q: (topic_rank[q.topic], q.order, q.id))


def render_page(markdown: str, questions: list[FaqQuestion], topics: dict[str, str], path: str) -> str:
    """Put the questions grouped by topic where the editor placed the marker."""
    if MARKER not in markdown:
        raise EditorError(
            path,
            f"the FAQ page has no {MARKER} marker, so the questions have nowhere to go.",
            f"put {MARKER} on a line of its own where the questions should appear.",
        )
    groups = [(key, title, [q for q in questions if q.topic == key]) for key, title in topics.items()]
    groups = [g for g in groups if g[2]]
    block = render("faq.md", groups=groups, index_anchor=INDEX_ANCHOR)
    return markdown.replace(MARKER, block, 1)


QUESTION_HEADING = re.compile(r'<h3 class="faq-question" id="[^"]+">(?P<question>.*?)</h3>', re.S)
ANSWER_END = re.compile(r'<p><a class="faq-back"|<h[1-3][ >]')


def visible_pairs(html: str) -> list[tuple[str, str]]:
    """The (question, answer) text pairs as the FAQ page shows them.

    The page's markup is our own template's, so each answer runs from its question's heading to its
    "Back to all questions" link.
    """
    pairs = []
    for match in QUESTION_HEADING.finditer(html):
        end = ANSWER_END.search(html, match.end())
        answer = html[match.end() : end.start() if end else len(html)]
        pairs.append((_text(match.group("question")), _text(answer)))
    return pairs


def _text(fragment: str) -> str:
    """The text of an HTML fragment, as a browser shows it, on one line."""
    return _squash(unescape(re.sub(r"<[^>]+>", "", fragment)))


def json_ld(pairs: list[tuple[str, str]]) -> str:
    """schema.org FAQPage JSON-LD for the questions and answers shown on the page."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in pairs
        ],
    }
    # Escape "<" so no answer text can close the script element.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
