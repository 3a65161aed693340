"""Editors' YAML mistakes (mkdocs.yml and front matter), and a due review's note in the page's PDF.

YAML: each mistake stops the build (or the check `make serve`, `make build` and `make lint` run first)
with the file, the line, what is wrong and the fix, never a traceback: a wrongly indented line, an
unquoted or mistyped phone number, a web address without https://, a name key without its *.

Expected values come from mkdocs.yml and docs/ as they are, or from test data written here; review
dates are set relative to an injected today (SCR_TODAY), never taken from the real pages.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site, mkdocs_config, plain_page, warm_cache
from pypdf import PdfReader
from scr import config_file, contacts
from scr.errors import EditorError
from scr.templates import uk_date

CONFIG = mkdocs_config()
CONTACTS = CONFIG["extra"]["contacts"]
PAGE = f"docs/{plain_page()}"  # any guidance page would do: the tests write its dates themselves


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, rel: str, pattern: str) -> int:
    """The first line of a file that matches a regular expression."""
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if re.search(pattern, text))


def contact_line(project: Path, key: str, field: str) -> tuple[int, str]:
    """The line number and text of a contact's field in mkdocs.yml (the first `field:` after `key:`)."""
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines) if text.strip() == f"{key}:")
    number = next(n for n in range(start + 1, len(lines)) if lines[n].strip().startswith(f"{field}:"))
    return number + 1, lines[number]


def failed_build(project: Path, tmp_path: Path, env: dict | None = None) -> str:
    result = build_site(project, tmp_path / "out", env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed"
    assert "Traceback" not in output, output
    return output


def first_contact(field: str, test=lambda value: True) -> str:
    return next(key for key, contact in CONTACTS.items() if field in contact and test(str(contact[field])))


# mkdocs.yml: a phone number, a web address, a name without its *


def test_an_unquoted_phone_number_is_refused_not_shown_as_an_octal_number(project_copy, tmp_path):
    key = first_contact("phone")
    line, text = contact_line(project_copy, key, "phone")
    edit(project_copy, "mkdocs.yml", text, text.split("phone:")[0] + "phone: 01733234724")
    output = failed_build(project_copy, tmp_path)
    assert f"mkdocs.yml (extra.contacts), line {line}: contact '{key}' has its phone number 01733234724" in output
    assert f"read as the number {int('1733234724', 8)}" in output  # what YAML 1.1 makes of it
    assert "How to fix it: put it in double quotes" in output and 'phone: "01733' in output


def test_a_phone_number_with_a_digit_missing_is_refused_with_its_contact_and_line(project_copy, tmp_path):
    key = first_contact("phone", lambda phone: len(re.sub(r"\D", "", phone)) >= 10)
    line, text = contact_line(project_copy, key, "phone")
    number = str(CONTACTS[key]["phone"])
    short = number[:-1]
    edit(project_copy, "mkdocs.yml", text, text.replace(number, short))
    output = failed_build(project_copy, tmp_path)
    digits = len(re.sub(r"\D", "", short))
    assert f"mkdocs.yml (extra.contacts), line {line}: contact '{key}' has phone '{short}'" in output
    assert f"which is not a UK phone number: it has {digits} digits" in output or "numbering plan" in output
    assert "How to fix it: check the number against its source" in output


@pytest.mark.parametrize("key", [key for key, contact in CONTACTS.items() if "phone" in contact])
def test_every_phone_number_in_mkdocs_yml_is_in_the_uk_numbering_plan(key):
    assert contacts.phone_problem(str(CONTACTS[key]["phone"])) is None


@pytest.mark.parametrize("phone", ["999", "101", "111", "112", "116 123", "116 000", "0800 1111", "020 7946 0000"])
def test_short_codes_and_numbers_in_the_plan_are_accepted(phone):
    assert contacts.phone_problem(phone) is None


@pytest.mark.parametrize(
    ("phone", "words"),
    [
        ("0345 045 520", "10 digits"),
        ("01733 2347241", "12 digits"),
        ("0345-045-5203", "characters other than digits and spaces"),
        ("12345", "not in the UK numbering plan"),
        ("0", "cannot be read as a phone number"),
    ],
)
def test_numbers_outside_the_plan_are_refused_saying_why(phone, words):
    problem = contacts.phone_problem(phone)
    assert problem and words in problem


def test_a_web_address_without_https_is_refused_with_the_whole_address_to_write(project_copy, tmp_path):
    key = first_contact("url", lambda url: url.startswith("https://"))
    line, text = contact_line(project_copy, key, "url")
    url = CONTACTS[key]["url"]
    edit(project_copy, "mkdocs.yml", text, text.replace(url, url.removeprefix("https://")))
    output = failed_build(project_copy, tmp_path)
    assert (
        f"mkdocs.yml (extra.contacts), line {line}: contact '{key}' has url: {url.removeprefix('https://')}" in output
    )
    assert "does not start with https://" in output
    assert (
        f"How to fix it: write the whole address, starting with https://, for example url: {url}".rstrip("/") in output
    )


@pytest.mark.parametrize(
    "address",
    ["https://www.nspcc.org.uk/", "http://example.org/a?b=c", *[c["url"] for c in CONTACTS.values() if "url" in c]],
)
def test_whole_web_addresses_are_accepted(address):
    assert contacts.url_problem(address) is None


@pytest.mark.parametrize(
    "address", ["www.nspcc.org.uk", "nspcc.org.uk/help", "https//www.nspcc.org.uk", "mailto:a@b.org", "https://"]
)
def test_addresses_without_a_scheme_or_host_are_refused(address):
    assert contacts.url_problem(address)


NAME_SETTINGS = {
    "organisation": (r"^  organisation: \*(\S+)$", "mkdocs.yml (extra.organisation)"),
    "contact name": (r"^      name: \*(\S+)$", "mkdocs.yml (extra.contacts)"),
    "site_author": (r"^site_author: \*(\S+)$", "mkdocs.yml"),
}


@pytest.mark.parametrize("setting", NAME_SETTINGS)
def test_a_name_written_without_its_star_is_refused_saying_where_to_put_it(setting, project_copy, tmp_path):
    pattern, where = NAME_SETTINGS[setting]
    text = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(pattern, text, re.M)
    if not found:
        pytest.skip(f"mkdocs.yml has no {setting} written as *KEY")
    key = found.group(1)
    line = text[: found.start()].count("\n") + 1
    edit(project_copy, "mkdocs.yml", found.group(0), found.group(0).replace(f"*{key}", key))
    output = failed_build(project_copy, tmp_path)
    field = found.group(0).split(":")[0].strip()
    assert f"{where}, line {line}: " in output
    assert f"`{field}: {key}`, the key of a name under `extra: names:`" in output
    assert f"How to fix it: write `{field}: *{key}`, with the * in front" in output


# A YAML mistake in mkdocs.yml: `make serve` and `make build` check it first, `make lint` too


def misindent(project: Path, field: str) -> tuple[int, int, int]:
    """Move a contact's `field:` line two spaces to the left, as a slip of the editor's hand does.

    The parser stops on the next line: the first field's text then runs on into it (the column of its colon),
    and a later field ends the contact's block early (the column where the next line starts). Returns the
    line moved, and the line and column the message must give."""
    key = next(key for key, contact in CONTACTS.items() if list(contact)[0] == "name" and len(contact) >= 3)
    line, text = contact_line(project, key, field)
    edit(project, "mkdocs.yml", text + "\n", text[2:] + "\n")
    following = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()[line]
    column = following.index(":") if field == "name" else len(following) - len(following.lstrip())
    return line, line + 1, column + 1


@pytest.mark.parametrize("field", ["name", "phone"])
def test_a_wrongly_indented_line_in_mkdocs_yml_gives_line_column_and_fix(field, project_copy):
    moved, line, column = misindent(project_copy, field)
    result = subprocess.run(
        [sys.executable, "scripts/check_config.py"], cwd=project_copy, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith(f"mkdocs.yml, line {line}, column {column}: this is not valid YAML: "), message
    problem, fix = message.split("\n  How to fix it: ")
    assert "indented" in problem or "lined up" in problem
    assert fix.startswith("check the indentation") and f"line {moved}" in fix, "the fix points at the line that moved"


@pytest.mark.parametrize("target", ["serve", "build"])
def test_make_serve_and_build_check_mkdocs_yml_before_mkdocs_reads_it(target, project_copy):
    """`make -n` prints the commands without running any of them."""
    result = subprocess.run(["make", "-n", target], cwd=project_copy, capture_output=True, text=True, timeout=60)
    commands = result.stdout.splitlines()
    check = next(n for n, command in enumerate(commands) if "scripts/check_config.py" in command)
    mkdocs = next(n for n, command in enumerate(commands) if re.search(rf"mkdocs {target}\b", command))
    assert check < mkdocs


def test_a_front_matter_list_left_open_names_its_line_and_column(project_copy, tmp_path):
    line = line_of(project_copy, PAGE, r"^audience: \[")
    text = (project_copy / PAGE).read_text(encoding="utf-8").splitlines()[line - 1]
    edit(project_copy, PAGE, text + "\n", text.rstrip("]") + "\n")
    output = failed_build(project_copy, tmp_path)
    assert f"{PAGE}, line {line}, column {text.index('[') + 1}: the front matter is not valid YAML" in output
    assert "square brackets" in output and "How to fix it: write the whole list on one line" in output


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: 1\nb:\n  c: 2\n d: 3\n", 4, 2, "not lined up"),
        ("a: 1\nb:\n\tc: 2\n", 3, 1, "tab character"),
        ('a: "open\nb: 2\n', 1, 4, "quotation mark is opened here but never closed"),
        ("a: Referrals: who\n", 1, 13, "colon followed by a space"),
        ("a: 1\nb\nc: 3\n", 2, 1, "not a `name: value` setting"),
        ("a: *nowhere\n", 1, 4, "`*nowhere` refers to a name that is not marked with &nowhere"),
        ("a: @home\n", 1, 4, "cannot start with '@'"),
    ],
)
def test_yaml_mistakes_in_plain_words_with_the_parsers_line_and_column(text, line, column, words, tmp_path):
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(EditorError) as caught:
        config_file.load(tmp_path / "mkdocs.yml")
    error = caught.value
    assert (error.line, error.column) == (line, column), error.message
    assert words in error.problem and error.fix
    assert error.message.startswith(f"mkdocs.yml, line {line}, column {column}: this is not valid YAML: ")


def test_the_config_loader_reads_mkdocs_own_tags_and_knows_every_settings_line():
    data, source = config_file.load_with_source(ROOT / "mkdocs.yml")
    assert data["site_name"] == CONFIG["site_name"]
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    for key in CONTACTS:
        line = source.line("extra", "contacts", key)
        assert lines[line - 1].strip() == f"{key}:"
    _, offline_source = config_file.load_with_source(ROOT / "mkdocs-offline.yml")
    key = next(iter(CONTACTS))
    assert offline_source.file("extra", "contacts", key) == "mkdocs.yml"  # inherited: the message names mkdocs.yml
    assert offline_source.line("extra", "contacts", key) == source.line("extra", "contacts", key)


# A due review: the page's note is in its PDF too (tests/test_reviews_due.py checks the rest)


def set_review(project: Path, rel: str, last_reviewed: dt.date, review_due: dt.date) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^last_reviewed: .*$", f"last_reviewed: {last_reviewed}", text, count=1, flags=re.M)
    text = re.sub(r"^review_due: .*$", f"review_due: {review_due}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


TODAY = dt.date.today()  # the injected today is the real one: a date check may refuse a review in the future
DUE = TODAY - dt.timedelta(days=10)


@pytest.fixture
def due_copy(project_copy) -> Path:
    """A copy in which PAGE was due for review ten days ago."""
    set_review(project_copy, PAGE, DUE - dt.timedelta(days=365), DUE)
    return project_copy


def test_the_due_note_is_in_the_pages_pdf(due_copy, tmp_path, built, pdf_cache):
    """With a copy of the session's PDF cache (filled by the real build), only the changed page is rendered."""
    cache = warm_cache(pdf_cache, tmp_path)
    env = {"SCR_PDF": "1", "SCR_HANDBOOK": "0", "SCR_PDF_CACHE": str(cache), "SCR_TODAY": TODAY.isoformat()}
    result = build_site(due_copy, tmp_path / "out", env)
    assert result.returncode == 0, result.stderr
    name = Path(PAGE).stem + ".pdf"
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "out/downloads" / name).pages)
    assert f"Due for review since {uk_date(DUE)}" in " ".join(text.split())
