"""A sweep of wrong types and shapes in every front-matter field and every `extra:` value.

Each must give an editor's message (file, what is wrong, how to fix it, about the field that is wrong) or be
shown correctly: an accepted value is followed to what the page shows (the register row, the theme card, the
FAQ heading, the contact card, the search keywords), never only checked for its Python type. Unit-level calls
of the same code the build runs, so the sweep takes seconds, not builds; one test per field tries every wrong
value. The whole-build cases are in test_editor_mistakes*.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml
from conftest import DOCS, faq_sources, guidance_sources, mkdocs_config, theme_sources
from markupsafe import escape
from scr import contacts, diagram, faq, names, offline, register, safety, search, themes
from scr.errors import EditorError
from scr.site import Settings, SiteContent

WRONG = [None, "", "   ", 0, 7, 3.5, True, False, [], ["current"], [["a"]], [{"a": 1}], {}, {"a": "b"}, "2026-02-30"]
EXTRA = mkdocs_config()["extra"]


def file_text(meta: dict, body: str | None = None) -> str:
    """A page with this front matter; its `#` heading has the title's words, as every page's must."""
    body = f"# {meta.get('title')}\n\nSome text.\n" if body is None else body
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + body


# Real front matter as the editors write it today, whatever the pages are called: a guidance page
# that is not a practice theme or the form, a practice theme (with its own sections) and a FAQ question.
PAGE = next(meta for src, meta in guidance_sources().items() if src not in theme_sources() and "form" not in meta)
THEME_SRC, THEME = next(iter(theme_sources().items()))
THEME_BODY = (DOCS / THEME_SRC).read_text(encoding="utf-8").split("\n---\n", 1)[1]
QUESTION = faq_sources()[0]
PAGE_FIELDS = list(
    dict.fromkeys([*PAGE, "summary", "child_says", "order", "tags", "form", "process", "hide", "search"])
)
THEME_FIELDS = list(dict.fromkeys([*THEME, "summary", "child_says", "order", "tags"]))


def theme_text(meta: dict) -> str:
    body = re.sub(r"^# .*$", lambda _: f"# {meta.get('title')}", THEME_BODY, count=1, flags=re.M)
    return file_text(meta, body)


def fails_well_or_passes(read, path: str, field: str | None = None):
    """Run `read`; an EditorError must name the file, say how to fix it and be about `field` (named in the
    message, or on the field's line). Any other exception fails the test."""
    try:
        return read()
    except EditorError as error:
        assert error.message.startswith(path), error.message
        assert error.problem.strip() and error.fix.strip(), error.message
        assert "How to fix it: " in error.message
        if field is not None:
            assert field in error.message or error.line == field_line(read, field), error.message
        return error


def field_line(read, field: str) -> int | None:
    text = getattr(read, "text", "")
    return next((n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{field}:")), None)


def reader(function, text: str):
    function.text = text
    return function


def shown(value) -> str:
    """A value as the page shows it: the text the editor wrote."""
    return str(value).strip()


@pytest.fixture
def content() -> SiteContent:
    return SiteContent(Settings.from_extra(EXTRA))


def fresh() -> SiteContent:
    return SiteContent(Settings.from_extra(EXTRA))


def test_the_real_front_matter_is_accepted_as_it_is():
    """The sweep starts from front matter that passes, so each refusal below is about the field it changes."""
    content = fresh()
    content.read_page("privacy.md", file_text(PAGE))
    content.read_page(THEME_SRC, theme_text(THEME))
    content.read_question("faq/can-i-refer-a-case.md", file_text(QUESTION, "An answer.\n"))
    content.finish()
    assert content.governance and content.themes and content.questions


@pytest.mark.parametrize("field", PAGE_FIELDS)
def test_every_page_field_with_each_wrong_value(field):
    for value in WRONG:
        content = fresh()
        text = file_text({**PAGE, field: value})
        outcome = fails_well_or_passes(
            reader(lambda content=content, text=text: content.read_page("privacy.md", text), text),
            "docs/privacy.md",
            field,
        )
        if isinstance(outcome, EditorError):
            continue
        gov = content.governance["privacy.md"]
        row = register.render_register([gov], content.settings.statuses, dt.date.today())
        assert f"[{gov.title}](privacy.md) | {gov.owner} |" in row, (field, value)
        if field in ("title", "owner", "description"):
            assert getattr(gov, field) == shown(value), (field, value)
        keywords = search.page_keywords(content.documents["privacy.md"].meta, content.settings.tags)
        assert all(isinstance(word, str) and word for word in keywords), (field, value)
        if field == "keywords" and value:
            assert keywords[: len(value)] == [shown(word) for word in value], (field, value)


@pytest.mark.parametrize("field", THEME_FIELDS)
def test_every_practice_theme_field_with_each_wrong_value(field):
    for value in WRONG:
        content = fresh()
        text = theme_text({**THEME, field: value})
        outcome = fails_well_or_passes(
            reader(lambda content=content, text=text: content.read_page(THEME_SRC, text), text),
            "docs/" + THEME_SRC,
            field,
        )
        if isinstance(outcome, EditorError):
            continue
        (theme,) = content.themes
        card = themes.render_index(themes.MARKER, content.themes, "docs/" + themes.INDEX)
        assert f"- [{theme.title}]({theme.file_name})" in card, (field, value)
        assert theme.summary in card and theme.child_says in card, (field, value)
        if field in ("title", "summary", "child_says"):
            assert getattr(theme, field) == shown(value).strip("\"'“”"), (field, value)
        assert all(tag in content.settings.tags for tag in theme.tags), (field, value)


@pytest.mark.parametrize("field", [*QUESTION])
def test_every_faq_question_field_with_each_wrong_value(field):
    src = "faq/can-i-refer-a-case.md"
    for value in WRONG:
        content = fresh()
        text = file_text({**QUESTION, field: value}, "An answer.\n")
        outcome = fails_well_or_passes(
            reader(lambda content=content, text=text: (content.read_question(src, text), content.finish()), text),
            "docs/" + src,
            field,
        )
        if isinstance(outcome, EditorError):
            continue
        (question,) = content.questions
        page = faq.render_page(faq.MARKER, content.questions, content.settings.faq_topics, "docs/faq/index.md")
        assert f"### {question.question} {{: #{question.id} .faq-question }}" in page, (field, value)
        assert f"- [{question.question}](#{question.id})" in page, (field, value)
        if field == "question":
            assert question.question == shown(value), (field, value)
        assert question.topic in content.settings.faq_topics and isinstance(question.order, int), (field, value)


@pytest.mark.parametrize(
    "value", [*WRONG, [{"step": ["a"], "time": "Day 1"}, {"step": "b", "time": "Day 2"}]], ids=repr
)
def test_a_process_diagram_with_a_wrong_value(content, value):
    meta = {**PAGE, "process": value}
    text = file_text(meta, f"# {PAGE['title']}\n\n" + diagram.MARKER + "\n")

    def read():
        content.read_page("privacy.md", text)
        doc = content.documents["privacy.md"]
        return diagram.render_page(doc.body, doc, "A page: the process")

    outcome = fails_well_or_passes(reader(read, text), "docs/privacy.md", "process")
    if not isinstance(outcome, EditorError):
        assert "<svg" in outcome and diagram.MARKER not in outcome


def extra_cases():
    """(key path, wrong values): every `extra:` value replaced by each wrong value, and each contact's fields."""
    contact = next(iter(EXTRA["contacts"]))
    for key in EXTRA:
        yield (key,), WRONG
    for field in ("name", "phone", "hours", "url"):
        yield ("contacts", contact, field), WRONG
    for key in ("audiences", "statuses", "faq_topics", "tags"):
        yield (key, "x"), ([], {"x": ["a"]}, {"x": None})
    yield ("owners", 0), (None, "", "   ", 0, True, [], ["a"], {}, {"a": "b"}, EXTRA["owners"][-1] + " ")


def settings_shown(settings: Settings) -> None:
    """What accepted settings put on pages: every contact's card, the banner's contacts, every name."""
    for key, contact in settings.contacts.items():
        card = contacts.render_markers(f"<!-- contact: {key} -->", "docs/x.md", settings.contacts)
        assert f'<p class="scr-contact__name">{escape(contact.name)}</p>' in card
        for part in (contact.phone, contact.hours, contact.url):
            assert part is None or escape(part) in card
    assert settings.banner and all(key in settings.contacts for key in settings.banner)
    for key, name in settings.names.items():
        assert names.render_markdown(f"The <!-- name: {key} -->.", "docs/x.md", settings.names) == f"The {name}."
    assert all(isinstance(label, str) and label for label in settings.tags.values())
    assert settings.owners and all(isinstance(owner, str) and owner.strip() == owner for owner in settings.owners)
    assert len(set(settings.owners)) == len(settings.owners), "each owner once"


@pytest.mark.parametrize(("path", "values"), list(extra_cases()), ids=lambda p: str(p) if isinstance(p, tuple) else "")
def test_every_extra_value_with_each_wrong_value(path, values):
    for value in values:
        extra = copy.deepcopy(EXTRA)
        target = extra
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

        def read(extra=extra):
            settings = Settings.from_extra(extra)
            safety.load_allow_list(extra.get("safety_allow_list"))
            return settings

        outcome = fails_well_or_passes(read, "mkdocs.yml")
        if isinstance(outcome, EditorError):
            assert f"extra.{path[0]}" in outcome.path, f"the message does not name the key: {outcome.message}"
        else:
            settings_shown(outcome)
            if path[0] == "contacts" and path[-1] in ("name", "hours"):
                assert getattr(outcome.contacts[path[1]], path[-1]) == shown(value), (path, value)


@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_polyfills_with_a_wrong_value(tmp_path, value):
    fails_well_or_passes(lambda: offline.shim_sources(value, tmp_path), "mkdocs-offline.yml (extra.polyfills)")
