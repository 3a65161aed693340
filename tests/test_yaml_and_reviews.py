"""Editors' YAML mistakes (mkdocs.yml and front matter), and review dates that fall due.

YAML: each mistake stops the build (or `make lint`, or the check `make serve` and `make build` run first)
with the file, the line, what is wrong and the fix, never a traceback. Reviews: a due review never stops
the build; the log, `make lint`, the page, its PDF, the register and the "Reviews due" issue say so.

Expected values come from mkdocs.yml and docs/ as they are, or from test data written here; review
dates are set relative to an injected today (SCR_TODAY), never taken from the real pages.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, front_matter, mkdocs_config, page_for
from pypdf import PdfReader
from scr import contacts, reviews, yaml_source
from scr.errors import EditorError
from scr.frontmatter import Governance
from scr.templates import uk_date
from test_workflows import load_workflow, run_lines, steps

CONFIG = mkdocs_config()
CONTACTS = CONFIG["extra"]["contacts"]
PAGE = "docs/privacy.md"  # any guidance page would do: the tests write its dates themselves


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


# mkdocs.yml: a key written twice, a phone number, a web address, a name without its *


def test_a_key_written_twice_in_mkdocs_yml_stops_the_build_at_the_second(project_copy, tmp_path):
    first = line_of(project_copy, "mkdocs.yml", r"^site_name:")
    edit(
        project_copy,
        "mkdocs.yml",
        f"site_name: {CONFIG['site_name']}\n",
        f"site_name: {CONFIG['site_name']}\nsite_name: A copy\n",
    )
    output = failed_build(project_copy, tmp_path)
    assert f"mkdocs.yml, line {first + 1}, column 1: " in output
    assert f"the key `site_name` is written twice in the same block (first on line {first})" in output
    assert "How to fix it: delete one of the two `site_name:` lines" in output


def test_a_field_written_twice_in_front_matter_stops_the_build_at_the_second(project_copy, tmp_path):
    owner = front_matter(project_copy / PAGE)["owner"]
    first = line_of(project_copy, PAGE, r"^owner:")
    edit(project_copy, PAGE, f"owner: {owner}\n", f"owner: {owner}\nowner: Someone else\n")
    output = failed_build(project_copy, tmp_path)
    assert f"{PAGE}, line {first + 1}, column 1: the front matter is not valid YAML" in output
    assert f"the key `owner` is written twice in the same block (first on line {first})" in output


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
    message = result.stderr.strip().removeprefix("ERROR   -  ")
    assert message.startswith(f"mkdocs.yml, line {line}, column {column}: the settings are not valid YAML: "), message
    problem, fix = message.split("\n  How to fix it: ")
    assert "indented" in problem or "lined up" in problem
    assert f"check line {moved}" in fix, "the fix points at the line that moved"


@pytest.mark.parametrize("target", ["serve", "build"])
def test_make_serve_and_build_check_mkdocs_yml_before_mkdocs_reads_it(target, project_copy):
    """`make -n` prints the commands without running any of them."""
    result = subprocess.run(["make", "-n", target], cwd=project_copy, capture_output=True, text=True, timeout=60)
    commands = result.stdout.splitlines()
    check = next(n for n, command in enumerate(commands) if "scripts/check_config.py" in command)
    mkdocs = next(n for n, command in enumerate(commands) if re.search(rf"mkdocs {target}\b", command))
    assert check < mkdocs


def test_make_lint_reports_a_yaml_mistake_in_mkdocs_yml_once_without_a_traceback(project_copy):
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    _, line, column = misindent(project_copy, "phone")
    result = subprocess.run(["bash", "scripts/lint.sh"], cwd=project_copy, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert output.count(f"mkdocs.yml, line {line}, column {column}: ") == 1, output
    assert "lint: failed: mkdocs.yml" in output


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
        ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, 3, "the key `b` is written twice in the same block (first on line 2)"),
    ],
)
def test_yaml_mistakes_in_plain_words_with_the_parsers_line_and_column(text, line, column, words):
    with pytest.raises(EditorError) as caught:
        yaml_source.load(text, "mkdocs.yml", yaml_source.ConfigLoader, subject="the settings")
    error = caught.value
    assert (error.line, error.column) == (line, column), error.message
    assert words in error.problem and error.fix
    assert error.message.startswith(f"mkdocs.yml, line {line}, column {column}: the settings are not valid YAML")


def test_the_config_loader_reads_mkdocs_own_tags_and_knows_every_settings_line():
    data, source = yaml_source.load_config_file(ROOT / "mkdocs.yml")
    assert data["site_name"] == CONFIG["site_name"]
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    for key in CONTACTS:
        line = source.line("extra", "contacts", key)
        assert lines[line - 1].strip() == f"{key}:"
    offline, offline_source = yaml_source.load_config_file(ROOT / "mkdocs-offline.yml")
    key = next(iter(CONTACTS))
    assert offline_source.file("extra", "contacts", key) == "mkdocs.yml"  # inherited: the message names mkdocs.yml
    assert offline_source.line("extra", "contacts", key) == source.line("extra", "contacts", key)


# Reviews: never a reason to stop publishing


def governance(path: str, review_due: dt.date, owner: str = "Owner A") -> Governance:
    return Governance(path, path, "d", owner, review_due - dt.timedelta(days=365), review_due, ["public"])


def test_pages_are_listed_from_sixty_days_before_their_review_date_and_due_on_it():
    today = dt.date(2030, 6, 15)
    offsets = {"docs/late.md": -1, "docs/today.md": 0, "docs/next.md": 1, "docs/edge.md": 60, "docs/far.md": 61}
    pages = [governance(path, today + dt.timedelta(days=days)) for path, days in offsets.items()]
    listed = reviews.listed(pages, today)
    assert [(r.page.path, r.due) for r in listed] == [
        ("docs/late.md", True),
        ("docs/today.md", True),
        ("docs/next.md", False),
        ("docs/edge.md", False),
    ]
    assert reviews.NOTICE_DAYS == 60


def set_review(project: Path, rel: str, last_reviewed: dt.date, review_due: dt.date) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^last_reviewed: .*$", f"last_reviewed: {last_reviewed}", text, count=1, flags=re.M)
    text = re.sub(r"^review_due: .*$", f"review_due: {review_due}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


TODAY = dt.date.today()  # the injected today is the real one: a date check may refuse a review in the future
DUE = TODAY - dt.timedelta(days=10)
SOON = TODAY + dt.timedelta(days=30)
OTHER = "docs/contact.md"


@pytest.fixture
def due_copy(project_copy) -> Path:
    """A copy in which PAGE was due for review ten days ago and OTHER falls due in thirty days."""
    set_review(project_copy, PAGE, DUE - dt.timedelta(days=365), DUE)
    set_review(project_copy, OTHER, SOON - dt.timedelta(days=365), SOON)
    return project_copy


def test_a_due_review_publishes_the_page_with_a_note_and_marks_the_register(due_copy, tmp_path):
    result = build_site(due_copy, tmp_path / "out", {"SCR_TODAY": TODAY.isoformat()})
    assert result.returncode == 0, result.stderr
    owner = front_matter(due_copy / PAGE)["owner"]
    line = line_of(due_copy, PAGE, r"^review_due:")
    log = [text for text in result.stderr.splitlines() if f"{PAGE}, line {line}: " in text]
    assert len(log) == 1 and log[0].startswith("INFO"), "listed once, as news, not as a warning"
    assert f"due for review since {uk_date(DUE)} (owner: {owner})" in log[0]
    other_owner = front_matter(due_copy / OTHER)["owner"]
    assert f"review due on {uk_date(SOON)}, in 30 days (owner: {other_owner})" in result.stderr

    html = (tmp_path / "out" / page_for(PAGE.removeprefix("docs/"))).read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").select_one("article")
    note = article.select_one(".admonition.warning")
    assert note.select_one(".admonition-title").get_text(strip=True) == f"Due for review since {uk_date(DUE)}"
    assert owner in note.get_text(" ", strip=True)
    assert note.find_previous("h1") is article.select_one("h1"), "the note is under the page's title"
    other = (tmp_path / "out" / page_for(OTHER.removeprefix("docs/"))).read_text(encoding="utf-8")
    assert "Due for review since" not in other, "a review that is only coming up is not shown to visitors"

    register = BeautifulSoup((tmp_path / "out/document-register/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {row.select_one("a").get("href"): row.get_text(" ", strip=True) for row in register.select("tbody tr")}
    row = next(text for href, text in rows.items() if href.rstrip("/").endswith(Path(PAGE).stem))
    assert f"{uk_date(DUE)} Due for review" in row
    other_row = next(text for href, text in rows.items() if href.rstrip("/").endswith(Path(OTHER).stem))
    assert "(due soon)" in other_row and "Due for review" not in other_row


def test_the_due_note_is_in_the_pages_pdf(due_copy, tmp_path, built, pdf_cache):
    """With the session's PDF cache (filled by the real build), only the changed documents are rendered."""
    result = build_site(
        due_copy, tmp_path / "out", {"SCR_PDF": "1", "SCR_PDF_CACHE": str(pdf_cache), "SCR_TODAY": TODAY.isoformat()}
    )
    assert result.returncode == 0, result.stderr
    name = Path(PAGE).stem + ".pdf"
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "out/downloads" / name).pages)
    assert f"Due for review since {uk_date(DUE)}" in " ".join(text.split())


def test_make_lint_lists_due_reviews_with_their_owners_and_passes(due_copy):
    env = {**os.environ, "SCR_TODAY": TODAY.isoformat()}
    script = ROOT / "scripts" / "check_front_matter.py"
    result = subprocess.run(
        [sys.executable, str(script), str(due_copy)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    owner = front_matter(due_copy / PAGE)["owner"]
    line = line_of(due_copy, PAGE, r"^review_due:")
    assert f"review: {PAGE}, line {line}: due for review since {uk_date(DUE)} (owner: {owner})" in result.stdout
    assert f"review: {OTHER}, line " in result.stdout


# The "Reviews due" issue: scripts/reviews_due.py on test data


def small_project(tmp_path: Path, dates: dict[str, dt.date]) -> Path:
    """mkdocs.yml and a page per entry of `dates`, each a copy of PAGE with its own title, owner and review date."""
    project = tmp_path / "small"
    (project / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    source = (ROOT / PAGE).read_text(encoding="utf-8")
    for name, due in dates.items():
        text = re.sub(r"^title: .*$", f"title: Page {name}", source, count=1, flags=re.M)
        text = re.sub(r"^owner: .*$", f"owner: Owner of {name}", text, count=1, flags=re.M)
        (project / "docs" / f"{name}.md").write_text(text, encoding="utf-8")
        set_review(project, f"docs/{name}.md", due - dt.timedelta(days=365), due)
    return project


def reviews_due(project: Path, today: dt.date, tmp_path: Path) -> tuple[str, str]:
    output = tmp_path / "github-output"
    output.unlink(missing_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "scripts/reviews_due.py",
            "--root",
            str(project),
            "--today",
            today.isoformat(),
            "--markdown",
            "-",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_OUTPUT": str(output)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, output.read_text(encoding="utf-8")


def table(markdown: str, heading: str) -> list[list[str]]:
    section = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [
        [cell.strip() for cell in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("| `")
    ]


def test_the_reviews_due_issue_lists_pages_owners_and_dates(tmp_path):
    today = dt.date(2031, 3, 15)
    dates = {
        "late": today - dt.timedelta(days=40),
        "today": today,
        "soon": today + dt.timedelta(days=59),
        "later": today + dt.timedelta(days=61),
    }
    body, output = reviews_due(small_project(tmp_path, dates), today, tmp_path)
    assert output == "count=3\n"
    assert table(body, "Due for review now") == [
        ["`docs/late.md` (Page late)", "Owner of late", uk_date(dates["late"])],
        ["`docs/today.md` (Page today)", "Owner of today", uk_date(dates["today"])],
    ]
    assert table(body, "Due in the next 60 days") == [
        ["`docs/soon.md` (Page soon)", "Owner of soon", uk_date(dates["soon"])]
    ]
    assert "later" not in body


def test_the_reviews_due_issue_is_closed_when_every_page_is_reviewed(tmp_path):
    today = dt.date(2031, 3, 15)
    body, output = reviews_due(small_project(tmp_path, {"a": today + dt.timedelta(days=200)}), today, tmp_path)
    assert output == "count=0\n"
    assert "No page is due for review" in body and "## " not in body


def test_the_weekly_workflow_keeps_one_reviews_due_issue():
    workflow = load_workflow("reviews-due.yml")
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    lines = run_lines(workflow)
    assert lines[0] == "make setup"
    assert lines[1] == ".venv/bin/python scripts/reviews_due.py --markdown reviews-due.md"
    script = "\n".join(lines[2:])
    assert all("gh issue " in line for line in lines[2:]), "after the list, the workflow only files the issue"
    for command in ("gh issue create", "gh issue edit", "gh issue close"):
        assert command in script
    step = next(step for _, step in steps(workflow) if "gh issue close" in step.get("run", ""))
    assert step["env"]["TITLE"] == "Reviews due" and "steps.reviews.outputs.count" in step["env"]["COUNT"]
