"""Names of bodies and the repeated statements are written once and reach every page and PDF."""

from __future__ import annotations

import re

import pytest
from conftest import DOCS, build_site, page_for
from pypdf import PdfReader
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


def test_every_name_marker_is_rendered_with_the_name_from_mkdocs_yml(pages, config):
    configured = config["extra"]["names"]
    used = set()
    for path in sorted(DOCS.rglob("*.md")):
        used |= set(re.findall(r"<!--\s*name:\s*([\w-]+)\s*-->", path.read_text(encoding="utf-8")))
    assert used and used <= set(configured)
    for page, soup in pages.items():
        assert "<!-- name:" not in str(soup), page
    contact = pages[page_for("contact.md")].find("article").get_text(" ")
    assert configured["partnership-board"] in contact
    history = pages[page_for("about-scrs.md")].find("article").get_text(" ")
    for key in ("cambs-lscb", "joint-board", "partnership-board"):
        assert configured[key] in history, key


def test_a_name_in_a_faq_answer_is_shown_in_the_answer(pages, config):
    """FAQ answers join the FAQ page after its own markers are rendered: a name there must still show, even as
    the text of a link (an empty link is what a screen reader user would otherwise meet)."""
    answer = DOCS / "faq" / "are-scrs-still-held-today.md"
    keys = re.findall(r"<!--\s*name:\s*([\w-]+)\s*-->", answer.read_text(encoding="utf-8"))
    assert keys, "the answer used here should hold a name marker"
    faq = pages[page_for("faq/index.md")].find("article")
    for key in keys:
        assert config["extra"]["names"][key] in faq.get_text(" "), key
    empty = [
        str(a) for a in faq.find_all("a") if not a.get_text(strip=True) and not a.get("title") and not a.find("svg")
    ]
    assert not empty, empty


def transition_sentences() -> list[str]:
    """Plain sentences of the transition dates snippet (no bold, no footnote markers), as a reader sees them."""
    text = (DOCS / "_snippets" / "transition-dates.md").read_text(encoding="utf-8").split("\n[^")[0]
    text = re.sub(r"\[\^[\w-]+\]|\*\*", "", text)
    sentences = re.split(r"(?<=\.) ", " ".join(line.lstrip("- ") for line in text.splitlines()))
    return [s for s in sentences if len(s.split()) > 6 and "<!--" not in s]


def test_the_status_note_and_transition_dates_are_the_same_everywhere(pages):
    note = (DOCS / "_snippets" / "status-note.md").read_text(encoding="utf-8").split(". ")[1]
    historical = pages[page_for("referrals/making-a-referral.md")].select_one("article .admonition.note")
    assert note in " ".join(historical.get_text(" ").split())
    assert note in " ".join(pages[page_for("contact.md")].find("article").get_text(" ").split())
    sentences = transition_sentences()
    assert len(sentences) >= 3, sentences
    for src in ("index.md", "about-scrs.md", "faq/index.md"):
        text = " ".join(pages[page_for(src)].find("article").get_text(" ").split())
        letters = re.sub(r"\W", "", text)  # bold dates and links add spaces around the words
        for sentence in sentences:
            assert re.sub(r"\W", "", sentence) in letters, (src, sentence)
        assert "from 29 June 2018, new reviews became" not in text, src


def test_the_handbook_carries_the_names_and_the_transition(site, config):
    handbook = site / "downloads" / "scr-guidance-handbook.pdf"
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(handbook).pages).split())
    assert config["extra"]["names"]["joint-board"] in text
    # A line break in the PDF can split a word from its hyphen or apostrophe: compare letters only.
    letters = re.sub(r"\W", "", text)
    for sentence in transition_sentences():
        assert re.sub(r"\W", "", sentence) in letters, sentence


def test_a_wrong_name_in_a_page_stops_the_build_at_its_line(project_copy, tmp_path):
    contact = project_copy / "docs" / "contact.md"
    text = contact.read_text(encoding="utf-8")
    assert "<!-- contact: emergency -->" in text.split("<!-- name: partnership-board -->")[0]  # a card above it
    contact.write_text(
        text.replace("<!-- name: partnership-board -->", "<!-- name: partnership -->", 1), encoding="utf-8"
    )
    line = next(n for n, row in enumerate(contact.read_text().splitlines(), 1) if "<!-- name: partnership -->" in row)
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"docs/contact.md, line {line}: unknown name 'partnership'." in result.stderr
    assert "Traceback" not in result.stderr
