"""A sweep of wrong types and shapes in every front-matter field and every `extra:` value.

Each must give an editor's message (file, what is wrong, how to fix it) or a correct result, never a traceback.
Unit-level calls of the same code the build runs, so the sweep takes seconds, not builds; the whole-build cases are in
test_editor_mistakes.py.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import faq_sources, guidance_sources, mkdocs_config, theme_sources
from scr import diagram, offline, safety
from scr.errors import EditorError
from scr.site import Settings, SiteContent

WRONG = [None, "", "   ", 0, 7, 3.5, True, False, [], ["current"], [["a"]], [{"a": 1}], {}, {"a": "b"}, "2026-02-30"]
EXTRA = mkdocs_config()["extra"]


def file_text(meta: dict, body: str = "# A page\n\nSome text.\n") -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + body


# Real front matter as the editors write it today, whatever the pages are called: a guidance page
# that is not a practice theme or the form, a practice theme and a FAQ question.
PAGE = next(meta for src, meta in guidance_sources().items() if src not in theme_sources() and "form" not in meta)
THEME = next(iter(theme_sources().values()))
QUESTION = faq_sources()[0]
PAGE_FIELDS = [*PAGE, "summary", "child_says", "order", "tags", "form", "process", "hide", "search"]


def fails_well_or_passes(read, path: str):
    """Run `read`; an EditorError must name the file and say how to fix it. Any other exception fails the test."""
    try:
        return read()
    except EditorError as error:
        assert error.message.startswith(path), error.message
        assert error.problem.strip() and error.fix.strip(), error.message
        assert "How to fix it: " in error.message
        return error


@pytest.fixture
def content() -> SiteContent:
    return SiteContent(Settings.from_extra(EXTRA))


@pytest.mark.parametrize("field", PAGE_FIELDS)
@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_every_page_field_with_a_wrong_value(content, field, value):
    meta = {**PAGE, field: value}
    outcome = fails_well_or_passes(lambda: content.read_page("privacy.md", file_text(meta)), "docs/privacy.md")
    if not isinstance(outcome, EditorError):
        gov = content.governance["privacy.md"]
        assert isinstance(gov.title, str) and isinstance(gov.status, str)
        assert all(isinstance(a, str) for a in gov.audience)


@pytest.mark.parametrize("field", [*THEME, "summary", "child_says", "order", "tags"])
@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_every_practice_theme_field_with_a_wrong_value(content, field, value):
    meta = {**THEME, field: value}
    src = "practice-themes/neglect.md"
    outcome = fails_well_or_passes(lambda: content.read_page(src, file_text(meta)), "docs/" + src)
    if not isinstance(outcome, EditorError):
        (theme,) = content.themes
        assert isinstance(theme.order, int) and all(isinstance(t, str) for t in theme.tags)
        assert isinstance(theme.summary, str) and isinstance(theme.child_says, str)


@pytest.mark.parametrize("field", [*QUESTION])
@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_every_faq_question_field_with_a_wrong_value(content, field, value):
    meta = {**QUESTION, field: value}
    src = "faq/can-i-refer-a-case.md"
    text = file_text(meta, "An answer.\n")
    outcome = fails_well_or_passes(lambda: (content.read_question(src, text), content.finish()), "docs/" + src)
    if not isinstance(outcome, EditorError):
        (question,) = content.questions
        assert isinstance(question.topic, str) and isinstance(question.order, int)
        assert isinstance(question.question, str) and all(isinstance(t, str) for t in question.tags)


@pytest.mark.parametrize(
    "value", [*WRONG, [{"step": ["a"], "time": "Day 1"}, {"step": "b", "time": "Day 2"}]], ids=repr
)
def test_a_process_diagram_with_a_wrong_value(content, value):
    meta = {**PAGE, "process": value}
    text = file_text(meta, "# A page\n\n" + diagram.MARKER + "\n")

    def read():
        content.read_page("privacy.md", text)
        doc = content.documents["privacy.md"]
        return diagram.render_page(doc.body, doc, "A page: the process")

    fails_well_or_passes(read, "docs/privacy.md")


def extra_cases():
    """(key path, value): every `extra:` value replaced by each wrong value, and each contact's fields too."""
    for key in EXTRA:
        for value in WRONG:
            yield (key,), value
    for field in ("name", "phone", "hours", "url"):
        for value in WRONG:
            yield ("contacts", "nspcc", field), value
    for key in ("audiences", "statuses", "faq_topics", "tags"):
        for value in ([], {"x": ["a"]}, {"x": None}):
            yield (key, "x"), value


@pytest.mark.parametrize(("path", "value"), list(extra_cases()), ids=str)
def test_every_extra_value_with_a_wrong_value(path, value):
    extra = copy.deepcopy(EXTRA)
    target = extra
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    def read():
        settings = Settings.from_extra(extra)
        safety.load_allow_list(extra.get("safety_allow_list"))
        return settings

    outcome = fails_well_or_passes(read, "mkdocs.yml")
    if isinstance(outcome, EditorError):
        assert f"extra.{path[0]}" in outcome.path, f"the message does not name the key: {outcome.message}"
    else:
        assert outcome.banner and all(key in outcome.contacts for key in outcome.banner)
        assert all(isinstance(v, str) for v in outcome.tags.values())


@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_polyfills_with_a_wrong_value(tmp_path, value):
    fails_well_or_passes(lambda: offline.shim_sources(value, tmp_path), "mkdocs-offline.yml (extra.polyfills)")
