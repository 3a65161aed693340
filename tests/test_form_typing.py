"""The referral form draws and prints what people type, in the PDF engines they use (see form_engines.py):
every name in Latin script and common punctuation, with embedded fonts only; and long answers, which get
smaller to fit their boxes, or go on in the continuation section, so that nothing disappears unseen."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from conftest import DOCS, form_page, mkdocs_config
from form_engines import (
    FILL,
    drawn_in_fields,
    fill_pdfium,
    glyph_problems,
    pdfium_page_text,
    poppler_text,
    text_fields,
    unembedded_fonts,
    visible,
)
from pypdf import PdfReader
from scr import form, frontmatter

pytestmark = pytest.mark.full  # Node.js (pdf.js) and the PDF engines: `make test` only

FORM = "scr-referral-form.pdf"

# What people type: every letter of Latin-1 and Latin Extended-A, Romanian's comma-below letters, and the
# punctuation Word puts in pasted text. The national alphabets below are all inside these blocks; they are
# listed so that a failure names the language it hurts.
SWEEP = {
    "ASCII": "".join(chr(c) for c in range(0x21, 0x7F)),
    "Latin-1": "".join(chr(c) for c in range(0xA1, 0x100) if c != 0xAD),  # not the invisible soft hyphen
    "Latin Extended-A": "".join(chr(c) for c in range(0x100, 0x180)),
    "Romanian": "ăâîșțĂÂÎȘȚ",
    "Polish": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "Czech": "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",
    "Hungarian": "áéíóöőúüűÁÉÍÓÖŐÚÜŰ",
    "Lithuanian": "ąčęėįšųūžĄČĘĖĮŠŲŪŽ",
    "Latvian": "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ",
    "Turkish": "çğıİöşüÇĞÖŞÜ",
    "Quotes, dashes, ellipsis, € and £": "‘’‚‛“”„‟‹›‐‒–—―…€£",
}
SWEEP_CHARACTERS = "".join(dict.fromkeys("".join(SWEEP.values())))  # each character once, in order


def sections() -> list[form.Section]:
    source = (DOCS / form_page()).read_text(encoding="utf-8")
    doc = frontmatter.parse(source, f"docs/{form_page()}")
    return form.parse(doc.body, doc.path, doc.body_line)


@pytest.fixture(scope="session")
def form_pdf(site):
    return site / "downloads" / FORM


@pytest.fixture(scope="session")
def fields(form_pdf):
    return text_fields(form_pdf)


def sweep_values(fields) -> dict[str, str]:
    """The sweep in even pieces, one piece to each one-line box (the widest first)."""
    one_line = sorted((f for f in fields if not f.multiline), key=lambda f: f.rect[0] - f.rect[2])
    width = min(f.rect[2] - f.rect[0] for f in one_line[:12])
    per_box = max(10, min(30, int(width / 10)))  # no glyph is wider than 1 em at 10 pt
    pieces = [SWEEP_CHARACTERS[i : i + per_box] for i in range(0, len(SWEEP_CHARACTERS), per_box)]
    assert len(pieces) <= len(one_line), "the form has too few one-line boxes for the sweep"
    return {f.name: piece for f, piece in zip(one_line, pieces, strict=False)}


def which_languages(characters: str) -> str:
    return "; ".join(
        f"{name}: {''.join(c for c in chars if c in characters)}"
        for name, chars in SWEEP.items()
        if any(c in characters for c in chars)
    )


@pytest.mark.parametrize("engine", FILL)
def test_every_character_people_type_is_drawn_with_an_embedded_font(engine, form_pdf, fields, tmp_path):
    values = sweep_values(fields)
    saved = tmp_path / f"typed-in-{engine}.pdf"
    FILL[engine](form_pdf, saved, values)
    drawn = drawn_in_fields(saved, [f for f in fields if f.name in values])
    lost = "".join(
        c for name, typed in values.items() for c in typed if c not in visible(drawn[name].inside) and not c.isspace()
    )
    assert not lost, f"{engine} does not draw what was typed: {which_languages(lost)}"
    assert glyph_problems(saved, set(values)) == [], f"{engine} draws glyphs that are missing or not embedded"
    assert unembedded_fonts(saved) == [], f"{engine} saved a form that uses fonts it does not embed"
    # poppler (Evince, Okular, printing) reads and prints the saved file with every character
    printed = poppler_text(saved)
    missing = "".join(c for typed in values.values() if typed not in printed for c in typed if c not in printed)
    assert all(typed in printed for typed in values.values()), f"poppler loses: {which_languages(missing)}"


def test_pdfium_prints_every_character_typed_in_it(form_pdf, fields, tmp_path):
    """Chrome prints a filled form by drawing its fields into the page: what PDFium reads back then."""
    values = sweep_values(fields)
    saved = tmp_path / "typed-in-pdfium.pdf"
    fill_pdfium(form_pdf, saved, values)
    pages = {f.page for f in fields if f.name in values}
    printed = "".join(pdfium_page_text(saved, pages).values())
    for typed in values.values():
        assert typed in printed, f"PDFium prints {typed!r} wrongly: {which_languages(typed)}"


# -- Long answers --------------------------------------------------------------------------------------

# Test data: an answer of the kind the form asks for, in plain words with names from the sweep.
SENTENCES = [
    "On 12/03/2016 the health visitor saw Ștefan at home with his mother, Zoë O’Brien.",
    "The school nurse wrote to the GP about weight loss – no reply is on file.",
    "Police attended after a neighbour in Brașov Road reported shouting; no crime was recorded.",
    "Children’s social care held a strategy discussion and agreed a section 47 enquiry.",
    "Łukasz Wiśniewski, the lodger, was not seen by any agency during this period…",
]


def answer(length: int) -> str:
    words = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(length // 40 + 2))
    return words[:length].rstrip()


def long_boxes(fields) -> list:
    """The form's narrative boxes: the multi-line fields that answer questions, not the continuation box
    and not table cells."""
    names = {q.name for q in form.questions(sections()) if q.type == "long text"}
    continuation = continuation_box(fields)
    return [f for f in fields if f.name in names and f.name != continuation.name]


def continuation_box(fields):
    section = form.continuation_section(sections())
    question = max((q for q in section.questions if q.type == "long text"), key=lambda q: q.lines)
    return next(f for f in fields if f.name == question.name)


def fill_long(engine, form_pdf, saved, values) -> None:
    if engine == "PDFium":
        fill_pdfium(form_pdf, saved, values, paste=True)  # pasted: typing 3,000 keys adds nothing
    else:
        FILL[engine](form_pdf, saved, values)


def test_pdfium_shrinks_long_answers_until_they_fit(form_pdf, fields, tmp_path):
    """Chrome and Edge: a 900-character answer in any narrative box, and a 3,000-character one in the largest
    narrative box and in the continuation box, are drawn whole (PDFium goes from 12 pt down to 4 pt)."""
    boxes = long_boxes(fields)
    biggest = max(boxes, key=lambda f: f.rect[3] - f.rect[1])
    for length, targets in ((900, boxes), (3000, [biggest, continuation_box(fields)])):
        values = {f.name: answer(length) for f in targets}
        saved = tmp_path / f"pdfium-{length}.pdf"
        fill_long("PDFium", form_pdf, saved, values)
        drawn = drawn_in_fields(saved, targets)
        for f in targets:
            shown = visible(drawn[f.name].inside)
            assert shown == visible(values[f.name]), (
                f"PDFium: {len(visible(values[f.name])) - len(shown)} characters of a {length}-character answer "
                f"are not drawn in the box for {f.tooltip!r}"
            )
        assert unembedded_fonts(saved) == [] and glyph_problems(saved, set(values)) == []


# What the other engines cannot do, exactly: they draw the beginning of a long answer and cut the rest at the
# foot of its box. MuPDF draws multi-line text at one size (the fields' /DS, 9 pt) and neither shrinks nor
# scrolls it. pdf.js shrinks text, but its estimate leaves out the space between lines (pdf.js 4.8,
# TextWidgetAnnotation._computeFontSize), so an answer that needs shrinking loses about a quarter. The form
# prints, beside every narrative box, where to go on; the continuation box holds 3,000 characters in MuPDF.
CUTS_AT_THE_FOOT = {"MuPDF": 1.0, "pdf.js": 0.7}  # share of a 3,000-character answer the continuation shows


@pytest.mark.parametrize("engine", CUTS_AT_THE_FOOT)
def test_engines_that_do_not_shrink_cut_only_a_full_box_and_the_form_says_where_to_go_on(
    engine, form_pdf, fields, tmp_path
):
    boxes = long_boxes(fields)
    continuation = continuation_box(fields)
    values = {f.name: answer(900) for f in boxes} | {continuation.name: answer(3000)}
    saved = tmp_path / f"{engine}-long.pdf"
    fill_long(engine, form_pdf, saved, values)
    drawn = drawn_in_fields(saved, [*boxes, continuation])
    section = form.continuation_section(sections())
    hints = _hints_beside_boxes(form_pdf)
    for f in boxes:
        typed, shown = visible(values[f.name]), visible(drawn[f.name].inside)
        assert shown and is_beginning(shown, typed), f"{engine} draws something other than the start of {f.tooltip!r}"
        if len(shown) < len(typed):
            # cut only when the box is full: at 9 pt or more a line is at least 10 pt high and holds a letter
            # for every 6 pt of width or fewer
            capacity = (f.rect[3] - f.rect[1]) / 10 * (f.rect[2] - f.rect[0]) / 6
            assert len(shown) > 0.5 * capacity or len(shown) > 0.6 * len(typed), (
                f"{engine} cuts {f.tooltip!r} before its box is full"
            )
            assert f"section {section.number}" in hints.get(f.name, ""), (
                f"the box for {f.tooltip!r} can be cut, and the form does not say beside it where to go on"
            )
    typed, shown = visible(values[continuation.name]), visible(drawn[continuation.name].inside)
    assert is_beginning(shown, typed) and len(shown) >= CUTS_AT_THE_FOOT[engine] * len(typed), (
        f"{engine} draws {len(shown)} of the {len(typed)} characters of a long answer in the continuation box"
    )
    assert unembedded_fonts(saved) == [] and glyph_problems(saved, set(values)) == []


LINE = 120  # characters: more than a line of the smallest text in the widest box


def is_beginning(shown: str, typed: str) -> bool:
    """`shown` is the start of `typed`, give or take the last line, which a box's foot may cut through: every
    character up to a line before its end is there, and nothing from more than a line after it. Compared as
    counts of each character, since the order MuPDF reads small, tightly set text back in can differ from
    the order it was drawn in."""
    extra = Counter(shown) - Counter(typed[: len(shown) + LINE])
    missing = Counter(typed[: max(0, len(shown) - LINE)]) - Counter(shown)
    return not extra and not missing


def _hints_beside_boxes(form_pdf) -> dict[str, str]:
    """The printed words just above each text box (its label and hint), by field name."""
    import pymupdf

    found = {}
    with pymupdf.open(str(form_pdf)) as doc:
        for page in doc:
            lines = [
                (line["bbox"], " ".join(s["text"] for s in line["spans"]))
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
            ]
            for widget in page.widgets():
                top = widget.rect.y0
                found[widget.field_name] = " ".join(
                    text for (x0, y0, x1, y1), text in lines if top - 30 <= y1 <= top + 1
                )
    return found


# -- The form's words and layout -----------------------------------------------------------------------


def first_page_text(form_pdf) -> str:
    return " ".join(unicodedata.normalize("NFKC", PdfReader(form_pdf).pages[0].extract_text()).split())


def test_first_page_gives_hours_as_written_and_only_instructions_a_reader_can_follow(form_pdf):
    """Hours exactly as mkdocs.yml has them; no "send it by email" without an address; the form is a record,
    and it sends anyone worried about a child now to today's contacts."""
    extra = mkdocs_config()["extra"]
    contacts = extra["contacts"]
    text = first_page_text(form_pdf)
    sent_to = contacts[extra.get("form_contact", "business-manager")]
    if sent_to.get("hours"):
        assert sent_to["hours"] in text, "the hours are not as written in mkdocs.yml"
    for key in extra["worried_banner"]:
        assert " ".join(contacts[key]["phone"].split()) in text, f"the form does not give {key}'s number"
    addresses = re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
    if re.search(r"secure e-?mail", text, re.I):
        assert addresses, "the form says to send it by secure email but gives no address"


def test_each_option_sits_beside_its_words(form_pdf):
    """Every radio button and tick box is on the first line of its option's words, just to their left."""
    import pymupdf

    with pymupdf.open(str(form_pdf)) as doc:
        for page in doc:
            words = page.get_text("words")
            for widget in page.widgets():
                if widget.field_type not in (pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON, pymupdf.PDF_WIDGET_TYPE_CHECKBOX):
                    continue
                box = widget.rect
                beside = [
                    w
                    for w in words
                    if 0 <= w[0] - box.x1 <= 12 and w[1] < (box.y0 + box.y1) / 2 < w[3]  # same line, just right
                ]
                assert beside, f"page {page.number + 1}: the option {widget.field_name!r} has no words beside it"


def test_no_section_heading_is_left_at_the_foot_of_a_page(form_pdf):
    """A section's heading is followed on its page by at least one of its questions."""
    import pymupdf

    headings = {f"{s.number}. {s.title}": s for s in sections()}
    with pymupdf.open(str(form_pdf)) as doc:
        for page in doc:
            lines = [
                " ".join(s["text"] for s in line["spans"]).strip()
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
            ]
            lines = [line for line in lines if line and not re.fullmatch(r"Page \d+ of \d+", line)]
            for index, line in enumerate(lines):
                if line in headings:
                    section = headings[line]
                    rest = " ".join(lines[index + 1 :])
                    assert any(q.text[:30] in rest for q in section.questions), (
                        f"page {page.number + 1}: section {line!r} has none of its questions on the page"
                    )


def test_the_chronology_is_a_table_of_rows_over_pages(form_pdf, fields):
    """A [table] question gives a row of boxes per row asked for, one box per column, each named by
    question, row and column; and the table goes on over as many pages as it needs."""
    tables = [q for q in form.questions(sections()) if q.type == "table"]
    by_name = {f.name: f for f in fields}
    for q in tables:
        rows = q.table_rows()
        assert len(rows) == q.rows
        for number, cells in enumerate(rows, start=1):
            for heading, kind, name in cells:
                box = by_name[name]
                assert box.tooltip == f"{q.text}, row {number}: {heading}"
                assert box.multiline == (kind == "long text")
            tops = [by_name[name].rect[3] for _, _, name in cells]
            assert max(tops) - min(tops) < 3, f"{q.text}: row {number}'s boxes are not side by side"
