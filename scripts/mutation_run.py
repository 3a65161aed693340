"""A small mutation run: break the site's code on purpose, one way at a time, and see whether a test notices.

Each mutant below is a deliberate break of something a visitor or an editor relies on (a check removed, a
value set back to a default). For each one the project is copied, the break applied to the copy, and the
tests named for it run there. A mutant is *killed* when a test fails and *survives* when they all pass: a
surviving mutant is a behaviour no test guards. First the same tests run on an unbroken copy, which must pass.

    .venv/bin/python scripts/mutation_run.py                 # every mutant (about a quarter of an hour)
    .venv/bin/python scripts/mutation_run.py --only radio     # the mutants whose name contains "radio"
    .venv/bin/python scripts/mutation_run.py --list           # what each mutant breaks, and its tests

It writes a Markdown report (--report) and exits 1 if a mutant survives or a run goes wrong. `make mutation`
runs it; so does the weekly "Mutation run" workflow.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
MISTAKES_3 = "tests/test_editor_mistakes_3.py"


@dataclass(frozen=True)
class Mutant:
    name: str
    breaks: str  # what a visitor or an editor would get
    path: str  # the file broken, relative to the project
    edits: tuple[tuple[str, str], ...]  # (old, new): each old text is in the file exactly once
    tests: tuple[str, ...]  # pytest arguments: test files and a -k expression


def k(expression: str, *files: str) -> tuple[str, ...]:
    return (*(files or (MISTAKES_3,)), "-k", expression)


MUTANTS = [
    # The breaks of the code and test review (issue 22) that no test caught.
    Mutant(
        "faq-answer-heading-check-removed",
        "a heading in a FAQ answer is published and cuts its answer short",
        "hooks/scr/faq.py",
        (("    check_answer(doc.path, doc.body, doc.body_line)", "    pass"),),
        k("faq"),
    ),
    Mutant(
        "overdue-review-message-without-its-line",
        "the build log lists an overdue page without the line to change",
        "hooks/scr/reviews.py",
        (('        where = f"{self.path}, line {self.line}"', "        where = self.path"),),
        k("log_lists", "tests/test_reviews_due.py"),
    ),
    Mutant(
        "headers-csp-without-script-hashes",
        "a host that serves _headers blocks every inline script (search, the colour switch)",
        "hooks/scr/security.py",
        (("{policy(script_hashes, for_meta=False)}", "{policy([], for_meta=False)}"),),
        k("strict_csp", "tests/test_browser.py"),
    ),
    Mutant(
        "search-boosts-back-to-defaults",
        "searches that a page's title or keywords answer find other pages first",
        "hooks/scr/search.py",
        (("TITLE_BOOST = 100.0", "TITLE_BOOST = 1000.0"), ("KEYWORDS_BOOST = 100.0", "KEYWORDS_BOOST = 1.0")),
        k("query_set or typos", "tests/test_search.py"),
    ),
    Mutant(
        "radio-group-keeps-opt",
        "a PDF reader that honours /Opt shows no option of a filled-in radio question as chosen",
        "hooks/scr/pdf_finish.py",
        (('            del group["/Opt"]', "            pass"),),
        k("exports_the_value or correct_by_construction", "tests/test_form_readers.py"),
    ),
    # The third catalogue of editors' mistakes (tests/test_editor_mistakes_3.py).
    Mutant(
        "review-due-on-the-day-of-the-last-review",
        "a page due for review on the day it was reviewed is accepted",
        "hooks/scr/frontmatter.py",
        (("    if last_reviewed >= review_due:", "    if last_reviewed > review_due:"),),
        k("same-day"),
    ),
    Mutant(
        "last-reviewed-in-the-future",
        "a review dated decades ahead is published",
        "hooks/scr/frontmatter.py",
        (("if today is not None and last_reviewed >", "if False and last_reviewed >"),),
        k("future"),
    ),
    Mutant(
        "heading-and-title-not-compared",
        "a page's heading and its tab, menu and PDF title differ; two level-one headings pass",
        "hooks/scr/site.py",
        (("        body_checks.check_title_heading(", "        (lambda *_: None)("),),
        k("heading or level_one"),
    ),
    Mutant(
        "undefined-footnote-shown-as-typed",
        "a page shows [^x] where a footnote should be",
        "hooks/scr_hook.py",
        (("    if missing_notes:", "    if False:"),),
        k("footnote"),
    ),
    Mutant(
        "briefing-sections-checked-only-with-pdfs",
        "the preview passes a theme whose briefing cannot be made",
        "hooks/scr/site.py",
        (("            themes.check_briefing_sections(doc)", "            pass"),),
        k("briefing-section"),
    ),
    Mutant(
        "two-pages-with-one-title",
        "a copied theme gives two identical cards and menu items",
        "hooks/scr/site.py",
        (("        self.check_titles()", "        pass"),),
        k("copied"),
    ),
    Mutant(
        "image-from-another-website",
        "an image the site's own security policy blocks is published, broken",
        "hooks/scr/safety.py",
        ((", _markdown_urls, _other_site_images)", ", _markdown_urls)"),),
        k("image"),
    ),
    Mutant(
        "svg-assets-not-checked",
        "an SVG image with a script is published",
        "hooks/scr_hook.py",
        (("        safety.check_svg(", "        (lambda *_: None)("),),
        k("svg"),
    ),
    Mutant(
        "meta-base-form-tags-allowed",
        "a page can redirect readers elsewhere, re-point its links or collect what they type",
        "hooks/scr/safety.py",
        (("(_dangerous_tags, _page_tags, ", "(_dangerous_tags, "),),
        k("meta or base or form-tag"),
    ),
    Mutant(
        "characters-no-font-has",
        "an emoji prints as an empty box in every PDF, with no warning",
        "hooks/scr_hook.py",
        (("        fonts.check(source, label)", "        pass"),),
        k("character"),
    ),
    Mutant(
        "page-named-like-the-handbook",
        "a page called like the handbook loses one of the two PDFs",
        "hooks/scr/downloads.py",
        (('    taken = {HANDBOOK: "the handbook (the whole guidance in one PDF)"}', "    taken = {}"),),
        k("handbook"),
    ),
    Mutant(
        "form-questions-alike-for-60-letters",
        "two form questions share one answer box in the PDF",
        "hooks/scr/form.py",
        (("            if first is not question:", "            if False:"),),
        k("60-letters"),
    ),
    Mutant(
        "snippet-includes-not-checked",
        "a snippet name with a typo ends the build in a traceback",
        "hooks/scr_hook.py",
        (("        snippets.check(source,", "        (lambda *_: None)(source,"),),
        k("snippet"),
    ),
    Mutant(
        "file-not-utf8-read-by-mkdocs",
        "a Word file saved as .md ends the build in a traceback",
        "hooks/scr_hook.py",
        (("source_files.read_text(file.abs_src_path, label) if file.abs_src_path else ", ""),),
        k("windows-1252 or word-document"),
    ),
    Mutant(
        "unusual-space-in-front-matter",
        "a no-break space in front matter is reported on the wrong line, unnamed",
        "hooks/scr/frontmatter.py",
        (("    check_spaces(source, path)\n", ""),),
        k("space"),
    ),
    Mutant(
        "name-marker-raw-in-the-title",
        "the browser tab shows <!-- name: KEY --> instead of the name",
        "hooks/scr_hook.py",
        (("            page.meta[key] = doc.meta[key]", "            pass"),),
        k("name_marker"),
    ),
    Mutant(
        "faq-unknown-fields-ignored",
        "a misspelt `keywords:` in a FAQ question is silently ignored",
        "hooks/scr/faq.py",
        (("        if key not in FIELDS:", "        if False:"),),
        k("faq-unknown or keywords"),
    ),
    Mutant(
        "tags-on-a-page-unchecked",
        "`tags: 7` on a guidance page ends the build in a traceback",
        "hooks/scr/site.py",
        (("            check_tags(doc, self.settings.tags)", "            pass"),),
        ("tests/test_wrong_shapes.py",),
    ),
    # What the generators put on pages and in PDFs.
    Mutant(
        "register-never-marks-overdue",
        "the document register shows an overdue page as in date",
        "hooks/scr/register.py",
        (('"overdue": page.overdue(today),', '"overdue": False,'),),
        k("register", "tests/test_reviews_due.py"),
    ),
    Mutant(
        "faq-json-ld-answers-are-the-questions",
        "search engines are given each question as its own answer",
        "hooks/scr/faq.py",
        (('"acceptedAnswer": {"@type": "Answer", "text": a}', '"acceptedAnswer": {"@type": "Answer", "text": q}'),),
        k("json_ld", "tests/test_hook_output.py"),
    ),
    Mutant(
        "download-label-in-thousands-of-bytes",
        "download links understate each PDF's size",
        "hooks/scr/pdf.py",
        (("kb = max(1, round(self.size / 1024))", "kb = max(1, round(self.size / 1000))"),),
        k("labels", "tests/test_pdfs.py"),
    ),
    Mutant(
        "glossary-in-reverse-order",
        "the glossary is listed from Z to A",
        "hooks/scr/glossary.py",
        (("key=lambda a: a.abbr.casefold())", "key=lambda a: a.abbr.casefold(), reverse=True)"),),
        k("glossary", "tests/test_hook_output.py", "tests/test_generators.py"),
    ),
    Mutant(
        "tel-links-without-the-country-code",
        "tapping a number abroad or on some phones dials the wrong number",
        "hooks/scr/contacts.py",
        (('            digits = "+44" + digits[1:]', "            digits = digits"),),
        k("banner or contact or tel", "tests/test_hook_output.py", "tests/test_generators.py"),
    ),
]


def copy_project(target: Path, source: Path = ROOT) -> Path:
    project = target / "project"
    shutil.copytree(source, project, ignore=IGNORE)
    for shared in (".venv", "node_modules", ".cache/web-editor"):  # used where they are, never installed into
        if (ROOT / shared).exists():
            (project / shared).parent.mkdir(parents=True, exist_ok=True)
            (project / shared).symlink_to((ROOT / shared).resolve())
    return project


def apply(project: Path, mutant: Mutant) -> None:
    path = project / mutant.path
    text = path.read_text(encoding="utf-8")
    for old, new in mutant.edits:
        count = text.count(old)
        if count != 1:
            raise SystemExit(f"{mutant.name}: {old!r} is in {mutant.path} {count} times, not once: update the mutant")
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def run_tests(project: Path, tests: tuple[str, ...], timeout: int) -> tuple[int, str, float]:
    """pytest's exit code (0 passed, 1 a test failed, others: it could not run), its summary, the seconds."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--no-header", *tests]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout} s", time.monotonic() - started
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    summary = (result.stdout.strip().splitlines() or [""])[-1]
    return result.returncode, "; ".join(failed) or summary, time.monotonic() - started


def collect(project: Path, mutant: Mutant) -> list[str]:
    """The test ids a mutant's pytest arguments select (none is an error in the mutant's list)."""
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *mutant.tests]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    nodes = [line for line in result.stdout.splitlines() if "::" in line and not line.startswith(" ")]
    if not nodes:
        raise SystemExit(f"{mutant.name}: `pytest {' '.join(mutant.tests)}` selects no test:\n{result.stdout}")
    return nodes


def outcome(code: int) -> str:
    return {0: "survived", 1: "killed"}.get(code, "error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the mutants whose name contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutants and their tests, run nothing")
    parser.add_argument("--report", type=Path, help="write the results as Markdown to this file")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds for one mutant's tests")
    args = parser.parse_args()
    mutants = [m for m in MUTANTS if not args.only or args.only in m.name]
    if args.list or not mutants:
        for mutant in MUTANTS:
            print(f"{mutant.name}: {mutant.breaks}\n    {mutant.path}; pytest {' '.join(mutant.tests)}")
        return 0 if mutants else 1
    rows, bad = [], 0
    with tempfile.TemporaryDirectory(prefix="mutation-") as work:
        baseline = copy_project(Path(work) / "baseline")  # also what every mutant is copied from, so all start alike
        chosen = sorted({node for mutant in mutants for node in collect(baseline, mutant)})
        code, summary, seconds = run_tests(baseline, tuple(chosen), args.timeout)
        print(f"baseline (no break): {'passed' if code == 0 else 'FAILED'} in {seconds:.0f} s: {summary}", flush=True)
        if code != 0:
            print("The tests fail without any break, so a mutant's result would mean nothing.", file=sys.stderr)
            return 1
        for index, mutant in enumerate(mutants, 1):
            project = copy_project(Path(work) / f"m{index}", baseline)
            apply(project, mutant)
            code, summary, seconds = run_tests(project, mutant.tests, args.timeout)
            shutil.rmtree(project.parent, ignore_errors=True)
            result = outcome(code)
            bad += result != "killed"
            rows.append((mutant, result, summary, seconds))
            print(f"{index:2}/{len(mutants)} {result:8} {seconds:5.0f} s  {mutant.name}: {summary}", flush=True)
    killed = sum(result == "killed" for _, result, _, _ in rows)
    lines = [
        "# Mutation run",
        "",
        f"{killed} of {len(rows)} deliberate breaks were caught by a test. A surviving break is a behaviour no test "
        "guards. Made by `scripts/mutation_run.py`.",
        "",
        "| Break | What a user would get | Result | Caught by | Seconds |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| `{m.name}` | {m.breaks} | {result} | {summary.replace('|', '/')} | {seconds:.0f} |"
            for m, result, summary, seconds in rows
        ),
    ]
    report = "\n".join(lines) + "\n"
    print("\n" + report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
