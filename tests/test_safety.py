"""Content safety checks called directly: unsafe raw HTML and likely personal data, and the allow list."""

from __future__ import annotations

from pathlib import Path

import pytest
from scr.errors import EditorError
from scr.safety import AllowList, check_markdown, load_allow_list, normal_phone, normal_postcode

DOCS = Path(__file__).resolve().parent.parent / "docs"
EMPTY = load_allow_list(None)
FRONT_MATTER = "---\ntitle: Test\ndescription: A test page.\n---\n\n# Test\n\n"
BODY_LINE = FRONT_MATTER.count("\n")  # line number just before the body's first line
WHERE = "mkdocs.yml (extra.safety_allow_list)"


def error_for(body: str, allow: AllowList = EMPTY) -> EditorError:
    """The error for a page made of the test front matter and a body."""
    with pytest.raises(EditorError) as caught:
        check_markdown(FRONT_MATTER + body, "docs/x.md", allow)
    return caught.value


def passes(body: str, allow: AllowList = EMPTY) -> None:
    check_markdown(FRONT_MATTER + body, "docs/x.md", allow)


def allow(**kinds: dict[str, str]) -> AllowList:
    return load_allow_list(kinds)


def assert_fails(body: str, line: int, words: list[str], allow_list: AllowList = EMPTY) -> EditorError:
    """The body fails on its `line` (1 = the body's first line) with a problem naming each of `words`."""
    error = error_for(body, allow_list)
    assert error.path == "docs/x.md"
    assert error.line == BODY_LINE + line, error.message
    for word in words:
        assert word in error.problem, error.message
    assert error.fix and "How to fix it" in error.message
    return error


# Raw HTML


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("Intro.\n\n<script>alert(1)</script>", 3, ["<script>"]),
        ("Text <SCRIPT src=x></SCRIPT>", 1, ["<script>"]),
        ('<iframe src="https://www.youtube.com/embed/abc"></iframe>', 1, ["<iframe>"]),
        ("Watch:\n<IFrame src=x>", 2, ["<iframe>"]),
        ('<object data="movie.swf"></object>', 1, ["<object>"]),
        ("A\nB\n<Object>", 3, ["<object>"]),
        ('<embed src="movie.swf">', 1, ["<embed>"]),
        ("text <EMBED src=x>", 1, ["<embed>"]),
    ],
)
def test_tags_that_run_code_or_embed_other_sites_fail(body, line, words):
    assert_fails(body, line, [*words, "run code"])


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('<a href="page.md" onclick="steal()">x</a>', 1, ["onclick="]),
        ("Text.\n\n<img src=x onerror=alert(1)>", 3, ["onerror="]),
        ("<svg/onload=alert(1)>", 1, ["onload="]),
        ('<div title=">" OnMouseOver="x">', 1, ["onmouseover="]),
        ('<div\n  markdown\n  onfocus="x">', 1, ["onfocus="]),
        ('[Report](https://example.org){ onclick="alert(1)" }', 1, ["onclick="]),
        ("A paragraph.\n{: onmouseover=alert(1) }", 2, ["onmouseover="]),
    ],
)
def test_event_handler_attributes_fail(body, line, words):
    assert_fails(body, line, [*words, "runs code"])


@pytest.mark.parametrize(
    ("body", "line", "scheme"),
    [
        ("[Click here](javascript:alert(1))", 1, "javascript:"),
        ("Text\n[Click]( JavaScript:alert(1) )", 2, "javascript:"),
        ("[Click](<javascript:alert(1)>)", 1, "javascript:"),
        ("![Logo](data:image/png;base64,iVBORw0KGgo=)", 1, "data:"),
        ("[Read more][r]\n\n[r]: javascript:alert(1)", 3, "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', 1, "javascript:"),
        ('<a href="&#106;avascript:alert(1)">x</a>', 1, "javascript:"),
        ('<a href=" java\nscript:alert(1)">x</a>', 1, "javascript:"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', 1, "data:"),
        ("[x](https://example.org){ href='javascript:x' }", 1, "javascript:"),
    ],
)
def test_javascript_and_data_addresses_fail(body, line, scheme):
    assert_fails(body, line, [f"`{scheme}`"])


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("```\nnot closed\n<script>alert(1)</script>", 3, ["<script>"]),
        ("<!-- note --> <script>alert(1)</script>", 1, ["<script>"]),
        ("<!--> <img src=x onerror=alert(1)> -->", 1, ["onerror="]),
        ("<!-- a --!> <iframe src=x>", 1, ["<iframe>"]),
    ],
)
def test_html_outside_closed_code_blocks_and_comments_fails(body, line, words):
    assert_fails(body, line, words)


@pytest.mark.parametrize(
    "body",
    [
        "<!-- contact: business-manager -->",
        "<!-- faq:index -->\n\n<!-- process-diagram -->",
        "<!-- <script>alert(1)</script> -->",
        "<!--\n  <iframe src=x></iframe>\n-->",
        "```html\n<script>alert(1)</script>\n```",
        "~~~\n<iframe src=x></iframe>\n<a href='javascript:x' onclick=y>\n~~~",
        "1. Step\n\n    ````md\n    [x](javascript:alert(1))\n    ````",
        '<a href="https://example.org/?q=1" title="online=yes">x</a>',
        '<div markdown class="card" id="one">\n\nText\n\n</div>',
        "The script was written down. [Scripture](scripture.md) <scripted>",
        "[Data](https://example.org/data:thing) and Data: the numbers. JavaScript: a language.",
        "<https://www.example.org/?onload=1>",
        "If a < b and c > d, onclick=x is just text.",
        "## Heading { #anchor .wide }\n\n[Page](page.md){ .md-button target=_blank }",
    ],
)
def test_safe_html_markers_comments_and_code_pass(body):
    passes(body)


# Personal data


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("NHS number 9434765919.", 1),
        ("Child A\n\nNHS no: 943 476 5919", 3),
        ("NHS 401-023-2137", 1),
        ("| 450 557 7104 |", 1),
    ],
)
def test_nhs_numbers_with_a_valid_check_digit_fail(body, line):
    error = assert_fails(body, line, ["NHS number"])
    assert "476 5919" not in error.message and "4765919" not in error.message


@pytest.mark.parametrize(
    "body",
    [
        "NHS number 943 476 5918 (wrong check digit).",
        "Reference 1234567890 (check digit would be 10).",
        "ISBN 0306406152",
        "Eleven digits: 94347659190; nine digits: 943476591.",
        "Write it as XXX XXX XXXX.",
    ],
)
def test_ten_digit_numbers_without_a_valid_check_digit_pass(body):
    passes(body)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("NI number AB123456C.", 1),
        ("Mother:\nab 12 34 56 d", 2),
        ("JG 10 37 59 A", 1),
        ("(ZY123456B)", 1),
    ],
)
def test_national_insurance_numbers_fail(body, line):
    assert_fails(body, line, ["National Insurance number"])


@pytest.mark.parametrize(
    "body",
    [
        "HMRC's example is QQ 12 34 56 C and QQ123456C.",
        "GB123456A, BG123456A, NK123456A, KN123456A, TN123456A, NT123456A, ZZ123456A",
        "DA123456A, FA123456A, IA123456A, UA123456A, VA123456A",
        "AD123456A, AF123456A, AI123456A, AO123456A, AQ123456A, AU123456A, AV123456A",
        "AB123456E, AB12345C, ABC123456C",
    ],
)
def test_not_national_insurance_numbers_pass(body):
    passes(body)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Child A was born 12/03/2015.", 1),
        ("DOB: 12-03-2015", 1),
        ("Name: Child A\nD.O.B. 12.03.15", 2),
        ("Date of birth: 12 March 2015", 1),
        ("She was born on the 12th March 2015 in Huntingdon.", 1),
        ("He was born on March 12, 2015.", 1),
        ("12/03/2015 (date of birth)", 1),
        ("| Date of birth |\n| 2015-03-12 |", 2),
        ("Born 3 Sept. 2014", 1),
    ],
)
def test_dates_of_birth_fail(body, line):
    error = assert_fails(body, line, ["date of birth"])
    assert "2015" not in error.message.split("How to fix it")[0]


@pytest.mark.parametrize(
    "body",
    [
        "- [date] Child's date of birth",
        "Record each man's full name, date of birth and relationship to the child.",
        "Give their date of birth. From 1 April 2019 the rules changed.",
        "The reviews published on 12 March 2015 were born of long work.",
        "Born in 2015, the partnership met on 1 April 2019 for the first time.",
        "Date of birth 32/13/2015 is not a date; SI 2006/90 is a statutory instrument.",
        "Published 12/03/2015.",
    ],
)
def test_dates_without_a_birth_word_nearby_pass(body):
    passes(body)


@pytest.mark.parametrize(
    ("body", "line", "text"),
    [
        ("The family lived at CB3 0AP.", 1, "CB3 0AP"),
        ("Address:\nPE29 3TN", 2, "PE29 3TN"),
        ("sw1a 1aa", 1, "sw1a 1aa"),
        ("(SW1A1AA)", 1, "SW1A1AA"),
        ("M1 1AE and EC1A 1BB", 1, "M1 1AE"),
    ],
)
def test_postcodes_fail(body, line, text):
    assert_fails(body, line, ["postcode", text])


@pytest.mark.parametrize(
    "body",
    [
        "Working Together 2015 (WT2015) and SI 2006/90.",
        "CB3 alone, or PE29, is an area.",
        "ABC1 2DE and XB3 0AP and CB3 0CI are not postcodes.",
        "[WCAG 2.2](https://www.w3.org/TR/WCAG22/) and NICE cg89.",
    ],
)
def test_not_postcodes_pass(body):
    passes(body)


@pytest.mark.parametrize(
    ("body", "line", "text"),
    [
        ("Email jane.doe@example.org for a copy.", 1, "jane.doe@example.org"),
        ("Text\n[Write to us](mailto:J.Smith+scr@cambridgeshire.gov.uk)", 2, "J.Smith+scr@cambridgeshire.gov.uk"),
        ("<!-- owner: a_b@nhs.net -->", 1, "a_b@nhs.net"),
    ],
)
def test_email_addresses_fail(body, line, text):
    assert_fails(body, line, ["email address", text])


@pytest.mark.parametrize(
    "body",
    [
        "Follow @cambslscb on social media.",
        "[Profile](https://example.org/@user) and lscb at cambridgeshire dot gov dot uk",
        "Email lscb@cambridgeshire.gov.uk",
    ],
)
def test_not_email_addresses_or_allowed_ones_pass(body):
    passes(body, allow(emails={"LSCB@cambridgeshire.gov.uk": "the board's published shared mailbox"}))


@pytest.mark.parametrize(
    ("body", "line", "text"),
    [
        ("Call 01632 960001 for help.", 1, "01632 960001"),
        ("Weekdays:\n0306 999 0001", 2, "0306 999 0001"),
        ("+44 1632 960001", 1, "+44 1632 960001"),
        ("Out of hours (01632) 960002.", 1, "(01632) 960002"),
        ("+44 (0)1632 960002", 1, "+44 (0)1632 960002"),
        ("[Call us](tel:01632960001)", 1, "01632960001"),
        ("Mobile 07700-900123", 1, "07700-900123"),
        ("0044 20 7946 0958", 1, "0044 20 7946 0958"),
    ],
)
def test_phone_numbers_fail(body, line, text):
    assert_fails(body, line, ["phone number", f"'{text}'"])


@pytest.mark.parametrize(
    "body",
    [
        "In an emergency call 999; otherwise 101 or 111.",
        "Childline: 0800 1111.",
        "SI 2006/90, the years 2014–2017 and 2014-2017, 10 000 000 and 0.5.",
        "last_reviewed: 2027-05-26 and 01/03/2015",
        "The 0-19 service, and 2019 2020 2021 2022 2023.",
    ],
)
def test_short_numbers_years_and_dates_are_not_phone_numbers(body):
    passes(body)


def test_personal_data_in_code_blocks_and_comments_still_fails():
    assert_fails("```\nCall 01632 960001\n```", 2, ["phone number"])
    assert_fails("<!--\nAB123456C\n-->", 2, ["National Insurance number"])


def test_the_first_problem_in_the_file_is_reported():
    assert_fails("Fine.\n\njane@example.org\n\n<script>x</script>", 3, ["email address"])
    assert_fails("<iframe src=x>\n01632 960001", 1, ["<iframe>"])
    assert_fails("01632 960001 jane@example.org", 1, ["phone number"])


def test_front_matter_is_checked_and_line_numbers_count_it():
    with pytest.raises(EditorError) as caught:
        check_markdown("---\ntitle: Test\nowner: jane@example.org\n---\n", "docs/x.md", EMPTY)
    assert caught.value.line == 3 and "docs/x.md, line 3" in caught.value.message


# Allow list


def test_allow_list_is_empty_without_config_and_normalised_with_it():
    assert load_allow_list(None) == AllowList({}, {}, {}, {})
    assert load_allow_list({}) == AllowList({}, {}, {}, {})
    loaded = load_allow_list(
        {
            "emails": {"LSCB@Example.org": "shared mailbox"},
            "phones": {"+44 (0)1632 960001": "switchboard"},
            "postcodes": {"cb30ap": "council offices"},
            "phrases": {"Form AB123456C": "catalogue number"},
        }
    )
    assert loaded.emails == {"lscb@example.org": "shared mailbox"}
    assert loaded.phones == {"01632960001": "switchboard"}
    assert loaded.postcodes == {"CB3 0AP": "council offices"}
    assert loaded.phrases == {"Form AB123456C": "catalogue number"}


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        ({"phones": {"01632 960001": "the board's published office number"}}, "Call (01632) 960 001."),
        ({"phones": {"+44 1632 960001": "the board's published office number"}}, "Call 01632 960001."),
        ({"postcodes": {"cb3 0ap": "the council's public office"}}, "Shire Hall, CB3 0AP and cb30ap"),
        ({"emails": {"lscb@example.org": "shared mailbox"}}, "Write to LSCB@example.org."),
        ({"phrases": {"Form AB123456C": "the form's catalogue number, not a person"}}, "See Form AB123456C."),
        ({"phrases": {"born 12/03/2015": "a made-up example in training material"}}, "Child X, born 12/03/2015"),
    ],
)
def test_allow_listed_entries_pass(raw, body):
    passes(body, load_allow_list(raw))


def test_allow_list_exempts_only_what_it_names():
    phrases = allow(phrases={"Form AB123456C": "catalogue number"})
    assert_fails("See Form AB123456C, and AB123456C.", 1, ["National Insurance number"], phrases)
    phones = allow(phones={"01632 960001": "office"})
    assert_fails("01632 960001 or 01632 960002", 1, ["'01632 960002'"], phones)
    script = allow(phrases={"<script>alert(1)</script>": "not a way round the HTML checks"})
    assert_fails("<script>alert(1)</script>", 1, ["<script>"], script)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (["jane@example.org"], ["not a list of kinds"]),
        ({"telephones": {}}, ["unknown kind", "telephones"]),
        ({"emails": ["jane@example.org"]}, ["`emails:`", "reasons"]),
        ({"emails": {"jane@example.org": ""}}, ["jane@example.org", "no reason"]),
        ({"phones": {"01632 960001": None}}, ["01632 960001", "no reason"]),
        ({"phrases": {"Form AB123456C": "   "}}, ["Form AB123456C", "no reason"]),
        ({"postcodes": {"CB3 0AP": 42}}, ["CB3 0AP", "no reason"]),
        ({"phones": {1480373582: "office"}}, ["not text"]),
        ({"phones": {"12345": "office"}}, ["12345", "not a UK phone number"]),
        ({"postcodes": {"Cambridge": "office"}}, ["Cambridge", "not a UK postcode"]),
        ({"emails": {"lscb at example.org": "office"}}, ["not an email address"]),
    ],
)
def test_bad_allow_list_entries_are_rejected(raw, words):
    with pytest.raises(EditorError) as caught:
        load_allow_list(raw)
    assert caught.value.path == WHERE
    for word in words:
        assert word in caught.value.problem, caught.value.message
    assert caught.value.fix


def test_normalisers():
    assert normal_phone("+44 (0)1632 960002") == normal_phone("(01632) 960-002") == "01632960002"
    assert normal_phone("0044 20 7946 0958") == "02079460958"
    assert normal_postcode(" pe293tn ") == normal_postcode("PE29  3TN") == "PE29 3TN"


# The real content


PAGES = sorted(DOCS.rglob("*.md"))  # pages, FAQ questions and snippets: the build checks every one


def test_the_real_content_checked_here_includes_every_page_the_navigation_lists():
    """So that a moved folder or a changed pattern cannot leave the check below with nothing to check."""
    from conftest import nav_entries
    from scr import register

    checked = {path.relative_to(DOCS).as_posix() for path in PAGES}
    listed = {path for _, path in nav_entries()} - {register.PATH}  # the register is made by the build
    assert listed and listed <= checked, sorted(listed - checked)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(DOCS)))
def test_every_real_page_passes_with_an_empty_allow_list(path):
    check_markdown(path.read_text(encoding="utf-8"), f"docs/{path.relative_to(DOCS).as_posix()}", EMPTY)
