"""Whole builds of a copy of the site with one thing broken: the editor gets file, line and fix, never a traceback."""

from __future__ import annotations

import os
import re

from conftest import DOCS, build_site


def break_file(project, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failed_build(project, tmp_path, env=None) -> str:
    result = build_site(project, tmp_path / "out", env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed"
    assert "Traceback" not in output, output
    return output


def test_overdue_review_fails_the_build_naming_page_and_owner(project_copy, tmp_path):
    break_file(
        project_copy,
        "docs/privacy.md",
        "last_reviewed: 2026-11-26\nreview_due: 2027-11-26",
        "last_reviewed: 2024-01-10\nreview_due: 2025-01-10",
    )
    output = failed_build(project_copy, tmp_path)
    owner = re.search(r"^owner: (.*)$", (DOCS / "privacy.md").read_text(encoding="utf-8"), re.M).group(1)
    assert "docs/privacy.md" in output and "overdue" in output and owner in output
    assert "review_due" in output


def test_emergency_publish_switch_downgrades_only_the_overdue_check(project_copy, tmp_path):
    break_file(
        project_copy,
        "docs/privacy.md",
        "last_reviewed: 2026-11-26\nreview_due: 2027-11-26",
        "last_reviewed: 2024-01-10\nreview_due: 2025-01-10",
    )
    break_file(project_copy, "mkdocs.yml", "allow_overdue_reviews: false", "allow_overdue_reviews: true")
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Emergency publish" in result.stderr
    register = (tmp_path / "out" / "document-register" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"10 January 2025\s*<strong>Overdue</strong>", register)
    # Every other check still applies.
    break_file(project_copy, "docs/contact.md", "<!-- contact: business-manager -->", "<!-- contact: chair -->")
    assert "unknown contact 'chair'" in failed_build(project_copy, tmp_path)


def test_emergency_publish_through_the_environment(project_copy, tmp_path):
    """SCR_ALLOW_OVERDUE_REVIEWS=1 (as in CONTRIBUTING.md) publishes with an overdue page; mkdocs.yml says false."""
    break_file(
        project_copy,
        "docs/privacy.md",
        "last_reviewed: 2026-11-26\nreview_due: 2027-11-26",
        "last_reviewed: 2024-01-10\nreview_due: 2025-01-10",
    )
    result = build_site(project_copy, tmp_path / "out", {"SCR_ALLOW_OVERDUE_REVIEWS": "1"})
    assert result.returncode == 0, result.stderr
    assert "Emergency publish: docs/privacy.md" in result.stderr
    assert "Emergency publish" not in failed_build(project_copy, tmp_path, {"SCR_ALLOW_OVERDUE_REVIEWS": "true"})


def test_unknown_contact_key_names_file_and_line(project_copy, tmp_path):
    break_file(
        project_copy, "docs/contact.md", "<!-- contact: business-manager -->", "<!-- contact: buisness-manager -->"
    )
    output = failed_build(project_copy, tmp_path)
    line = next(
        n
        for n, text in enumerate((project_copy / "docs/contact.md").read_text().splitlines(), 1)
        if "buisness-manager" in text
    )
    assert f"docs/contact.md, line {line}: unknown contact 'buisness-manager'" in output
    assert "How to fix it" in output


def test_duplicate_faq_id_fails_naming_both_files(project_copy, tmp_path):
    source = project_copy / "docs/faq/when-do-you-have-an-scr.md"
    (project_copy / "docs/faq/copy-of-question.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    output = failed_build(project_copy, tmp_path)
    assert "already used by" in output and "copy-of-question.md" in output and "when-do-you-have-an-scr.md" in output


def test_new_theme_file_appears_in_nav_cards_and_register(project_copy, tmp_path):
    theme = (project_copy / "docs/practice-themes/neglect.md").read_text(encoding="utf-8")
    theme = re.sub(r"^title: .*$", "title: Brothers and sisters", theme, count=1, flags=re.M)
    theme = re.sub(r"^order: .*$", "order: 5", theme, count=1, flags=re.M)
    theme = theme.replace("# Neglect that builds up over time", "# Brothers and sisters", 1)
    (project_copy / "docs/practice-themes/siblings.md").write_text(theme, encoding="utf-8")
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "out/practice-themes/index.html").read_text(encoding="utf-8")
    assert index.index('href="siblings/"') < index.index('href="seen-and-heard/"'), "order 5 comes first"
    register = (tmp_path / "out/document-register/index.html").read_text(encoding="utf-8")
    assert "Brothers and sisters" in register
    assert 'href="practice-themes/siblings/"' in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_a_failed_make_build_leaves_the_last_good_site_untouched(project_copy):
    import subprocess

    from conftest import ROOT

    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    good = project_copy / "site" / "index.html"
    good.parent.mkdir()
    good.write_text("the last good build", encoding="utf-8")
    owner = re.search(r"^owner: .*\n", (DOCS / "privacy.md").read_text(encoding="utf-8"), re.M).group(0)
    break_file(project_copy, "docs/privacy.md", owner, "")
    result = subprocess.run(
        ["make", "build"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCR_PDF": "0"},
    )
    assert result.returncode != 0
    assert "docs/privacy.md, line 1: the front matter has no `owner`" in result.stdout + result.stderr
    assert good.read_text(encoding="utf-8") == "the last good build", "site/ must not be touched"
