"""The figures check (`make lint`): a figure without a source fails with file and line; allowed ones pass."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import check_figures  # noqa: E402

PAGE = textwrap.dedent(
    """\
    ---
    title: A page
    ---

    # A page

    {paragraph}

    ## Sources

    - *Complexity and challenge*, Department for Education, March 2020: 368 SCRs.

    [^1]: *Pathways to harm, pathways to protection*, Department for Education, May 2016, page 12.
    """
)


def problems(paragraph: str, allow: dict[str, str] | None = None) -> list[check_figures.Problem]:
    return check_figures.check_text(PAGE.format(paragraph=paragraph), "docs/page.md", allow or {})


@pytest.mark.parametrize(
    "paragraph, figure",
    [
        ("Only 12% of the children had a plan.", "12%"),
        ("The reviews concerned 206 of the 368 children.", "206 of the 368"),
        ("This analysis looked at 293 SCRs.", "293 SCRs"),
        ("Non-fatal reviews rose to 54 a year.", "54 a year"),
        ("- a lack of professional curiosity in 63 per cent;", "63 per cent"),
    ],
)
def test_a_figure_without_a_source_fails_with_file_and_line(paragraph, figure):
    [problem] = problems(paragraph)
    assert (problem.path, problem.line, problem.figure) == ("docs/page.md", 7, figure)
    assert problem.message.startswith(f"docs/page.md, line 7: the figure {figure!r} has no source")
    assert "How to fix it" in problem.message and "figures_allow_list" in problem.message


@pytest.mark.parametrize(
    "paragraph",
    [
        "Only 12% of the children had a plan.[^1]",  # a footnote in the paragraph
        "Only 12% of the children had a plan.\n\nSource: Pathways to harm, page 12.",  # an FAQ-style Source line
        "The guidance of 27 April 2017 and 15 December 2023 applies.",  # dates are not figures
        "Call within 5 working days, under section 16C, chapter 5.",  # nor are timescales and section numbers
    ],
)
def test_a_cited_figure_or_no_figure_passes(paragraph):
    assert problems(paragraph) == []


def test_a_figure_on_the_allow_list_passes_and_others_in_the_line_do_not():
    allow = {"zoom in up to 400%": "what this site lets visitors do"}
    assert problems("- zoom in up to 400% without the text spilling off the screen;", allow) == []
    [problem] = problems("- zoom in up to 400%, and 35% of babies were hurt.", allow)
    assert problem.figure == "35%"


def test_a_source_line_does_not_reach_back_past_a_heading():
    text = "# Page\n\nOnly 12% had a plan.\n\n## Next\n\nSource: something.\n"
    [problem] = check_figures.check_text(text, "docs/page.md", {})
    assert problem.line == 3


def test_the_real_docs_have_a_source_for_every_figure():
    found = check_figures.check_docs()
    assert found == [], "\n".join(problem.message for problem in found)


def test_the_lint_script_fails_and_names_the_file_and_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        'site_name: Test\nextra:\n  figures_allow_list:\n    "at 200% zoom": "our own test"\n', encoding="utf-8"
    )
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\nNo page scrolls sideways at 200% zoom.\n\nThe reviews involved 602 children.\n", encoding="utf-8"
    )
    script = [sys.executable, str(ROOT / "scripts" / "check_figures.py")]
    result = subprocess.run([*script, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "docs/page.md, line 5: the figure '602 children' has no source" in result.stderr
    assert "200%" not in result.stderr
    assert subprocess.run(script, capture_output=True, text=True).returncode == 0  # the real docs pass
