"""Names of bodies and the repeated statements are written once and reach every page and PDF."""

from __future__ import annotations

import re

import pytest
from conftest import DOCS, build_site, guidance_sources, page_for
from pdf_structure import page_texts
from scr import names
from scr.errors import EditorError

NAMES = {"partnership-board": "Cambridgeshire & Peterborough Board", "cambs-lscb": "Cambridgeshire LSCB"}


def test_a_marker_becomes_the_name_inside_a_sentence():
    markdown = "# Title\n\nToday the <!-- name: partnership-board --> leads, after the <!--name:cambs-lscb-->.\n"
    out = names.render_markdown(markdown, "docs/page.md", NAMES)
    assert out == "# Title\n\nToday the Cambridgeshire & Peterborough Board leads, after the Cambridgeshire LSCB.\n"


def test_markers_from_snippets_are_replaced_in_the_html_escaped():
    html = "<p>Led by the <!-- name: partnership-board -->.</p>"
    assert (
        names.render_html(html, "docs/page.md", NAMES) == "<p>Led by the Cambridgeshire &amp; Peterborough Board.</p>"
    )


@pytest.mark.parametrize(
    "markdown, line, words",
    [
        (
            "# T\n\nText.\n\nLed by the <!-- name: partnership -->.\n",
            15,
            ["unknown name 'partnership'", "partnership-board"],
        ),
        ("# T\n\nLed by the <!-- name partnership-board -->.\n", 13, ["not written correctly", "<!-- name: KEY -->"]),
        ("# T\n\n## The <!-- name: cambs-lscb --> history\n", 13, ["in a heading", "write the name out"]),
    ],
)
def test_editor_mistakes_name_the_file_line_and_fix(markdown, line, words):
    with pytest.raises(EditorError) as caught:
        names.render_markdown(markdown, "docs/page.md", NAMES, first_line=11)
    assert caught.value.path == "docs/page.md" and caught.value.line == line
    for word in words:
        assert word in caught.value.message


def test_an_unknown_name_in_a_snippet_names_the_page():
    with pytest.raises(EditorError, match=r"docs/page.md \(or a snippet it includes\): unknown name 'nobody'"):
        names.render_html("<p><!-- name: nobody --></p>", "docs/page.md", NAMES)


@pytest.mark.parametrize("raw", [None, {}, {"Bad Key": "x"}, {"ok": ""}])
def test_the_names_list_in_mkdocs_yml_is_checked(raw):
    with pytest.raises(EditorError, match=r"mkdocs.yml \(extra.names\)"):
        names.load(raw)


NAME_MARKER = re.compile(r"<!--\s*name:\s*([\w-]+)\s*-->")
SNIPPETS = DOCS / "_snippets"


def plain(markdown: str) -> str:
    """Markdown as a reader sees it: no emphasis, footnote references or link addresses, one space between words."""
    text = re.sub(r"\[\^[^\]]+\]", "", markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return " ".join(text.replace("**", "").replace("*", "").split())


def squash(text: str) -> str:
    """Text without white space: tooltips and links split words from their brackets in get_text(" ")."""
    return re.sub(r"\s+", "", text)


def article_text(soup) -> str:
    return squash(soup.find("article").get_text(" "))


def built_page(src: str) -> str:
    """The built page a source file ends up in: a FAQ question's is the FAQ page."""
    return page_for("faq/index.md" if src.startswith("faq/") else src)


def sources_including(snippet: str) -> list[str]:
    return [
        p.relative_to(DOCS).as_posix()
        for p in sorted(DOCS.rglob("*.md"))
        if "_snippets" not in p.parts and f'"{snippet}"' in p.read_text(encoding="utf-8")
    ]


def test_every_name_marker_is_rendered_with_the_name_from_mkdocs_yml(pages, config):
    configured = config["extra"]["names"]
    used = 0
    for path in sorted(DOCS.rglob("*.md")):
        if "_snippets" in path.parts:
            continue
        keys = set(NAME_MARKER.findall(path.read_text(encoding="utf-8")))
        assert keys <= set(configured), path
        src = path.relative_to(DOCS).as_posix()
        text = " ".join(pages[built_page(src)].find("article").get_text(" ").split())
        for key in keys:
            assert " ".join(configured[key].split()) in text, f"{src}: {key}"
            used += 1
    assert used, "no page uses a name marker"
    for page, soup in pages.items():
        assert "<!-- name:" not in str(soup), page


def test_a_name_in_a_faq_answer_is_shown_in_the_answer(pages, config):
    """FAQ answers join the FAQ page after its own markers are rendered: a name there must still show, even as
    the text of a link (an empty link is what a screen reader user would otherwise meet)."""
    answers = [p for p in sorted((DOCS / "faq").glob("*.md")) if NAME_MARKER.search(p.read_text(encoding="utf-8"))]
    if not answers:
        pytest.skip("no FAQ answer uses a name marker today (tests/test_correct_pages.py covers one of its own)")
    faq = pages[page_for("faq/index.md")].find("article")
    for answer in answers:
        for key in NAME_MARKER.findall(answer.read_text(encoding="utf-8")):
            assert config["extra"]["names"][key] in faq.get_text(" "), key
    empty = [
        str(a) for a in faq.find_all("a") if not a.get_text(strip=True) and not a.get("title") and not a.find("svg")
    ]
    assert not empty, empty


def test_the_status_note_and_transition_dates_are_the_same_everywhere(pages, config):
    names = config["extra"]["names"]
    note = NAME_MARKER.sub(lambda m: names[m[1]], (SNIPPETS / "status-note.md").read_text(encoding="utf-8"))
    first = plain(note).split(". ")[0]
    historical = [src for src, meta in guidance_sources().items() if meta.get("status") == "historical"]
    for src in historical + sources_including("status-note.md"):
        assert squash(first) in article_text(pages[built_page(src)]), src
    items = [
        plain(line.removeprefix("- ")).split(". ")[0]
        for line in (SNIPPETS / "transition-dates.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("- ")
    ]
    including = sources_including("transition-dates.md")
    assert items and including
    for src in including:
        text = article_text(pages[built_page(src)])
        for item in items:
            assert squash(item) in text, f"{src}: {item}"


def test_the_handbook_carries_the_names_and_the_status_note(site, config):
    handbook = site / "downloads" / "scr-guidance-handbook.pdf"
    text = " ".join(" ".join(page_texts(handbook)).split())
    used = {key for p in DOCS.rglob("*.md") for key in NAME_MARKER.findall(p.read_text(encoding="utf-8"))}
    for key in used:
        assert " ".join(config["extra"]["names"][key].split()) in text, key
    note = NAME_MARKER.sub(lambda m: config["extra"]["names"][m[1]], (SNIPPETS / "status-note.md").read_text())
    assert plain(note).split(". ")[0] in text


def test_a_wrong_name_in_a_page_stops_the_build_at_its_line(project_copy, tmp_path):
    """The line is right even when contact cards above the marker add lines to the page."""
    candidates = [
        p
        for p in sorted((project_copy / "docs").rglob("*.md"))
        if "_snippets" not in p.parts and NAME_MARKER.search(p.read_text())
    ]
    # Prefer a page with a contact card above its first name marker.
    page = next(
        (p for p in candidates if "<!-- contact:" in NAME_MARKER.split(p.read_text(encoding="utf-8"))[0]), candidates[0]
    )
    text = page.read_text(encoding="utf-8")
    page.write_text(NAME_MARKER.sub("<!-- name: nobody-at-all -->", text, count=1), encoding="utf-8")
    line = next(n for n, row in enumerate(page.read_text().splitlines(), 1) if "<!-- name: nobody-at-all -->" in row)
    rel = page.relative_to(project_copy).as_posix()
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"{rel}, line {line}: unknown name 'nobody-at-all'." in result.stderr
    assert "Traceback" not in result.stderr
