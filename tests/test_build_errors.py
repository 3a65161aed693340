"""Whole builds of a copy of the site with one thing broken: the editor gets file, line and fix, never a traceback."""

from __future__ import annotations

import os
import re

from conftest import build_site, first_theme, plain_page, theme_sources


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


def test_unknown_contact_key_names_file_and_line(project_copy, tmp_path):
    page = next(p for p in sorted((project_copy / "docs").rglob("*.md")) if "<!-- contact: " in p.read_text())
    rel = page.relative_to(project_copy).as_posix()
    key = re.search(r"<!-- contact: ([\w-]+) -->", page.read_text())[1]
    break_file(project_copy, rel, f"<!-- contact: {key} -->", "<!-- contact: buisness-manager -->")
    output = failed_build(project_copy, tmp_path)
    line = next(n for n, text in enumerate(page.read_text().splitlines(), 1) if "buisness-manager" in text)
    assert f"{rel}, line {line}: unknown contact 'buisness-manager'" in output
    assert "How to fix it" in output


def test_duplicate_faq_id_fails_naming_both_files(project_copy, tmp_path):
    source = next(p for p in sorted((project_copy / "docs/faq").glob("*.md")) if p.name != "index.md")
    (project_copy / "docs/faq/copy-of-question.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    output = failed_build(project_copy, tmp_path)
    assert "already used by" in output and "copy-of-question.md" in output and source.name in output


def test_new_theme_file_appears_in_nav_cards_and_register(project_copy, tmp_path):
    themes = theme_sources()
    theme = (project_copy / "docs" / first_theme()).read_text(encoding="utf-8")
    theme = re.sub(r"^title: .*$", "title: Brothers and sisters", theme, count=1, flags=re.M)
    first_order = min(meta["order"] for meta in themes.values())
    theme = re.sub(r"^order: .*$", f"order: {first_order - 1}", theme, count=1, flags=re.M)
    theme = re.sub(r"^# .*$", "# Brothers and sisters", theme, count=1, flags=re.M)
    (project_copy / "docs/practice-themes/siblings.md").write_text(theme, encoding="utf-8")
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "out/practice-themes/index.html").read_text(encoding="utf-8")
    first = min(themes, key=lambda src: themes[src]["order"]).removeprefix("practice-themes/").removesuffix(".md")
    assert index.index('href="siblings/"') < index.index(f'href="{first}/"'), "the lowest order comes first"
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
    page = f"docs/{plain_page()}"
    owner = next(line for line in (project_copy / page).read_text().splitlines() if line.startswith("owner:"))
    break_file(project_copy, page, owner + "\n", "")
    # -o: the set-up stamps count as done, so make never reinstalls into the shared .venv and node_modules
    # (linked into the copy) when a copied requirements file looks newer than their stamps.
    result = subprocess.run(
        ["make", "-o", ".venv/.runtime", "-o", "node_modules/.installed", "-o", ".cache/web-editor/.fetched", "build"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCR_PDF": "0", "SCR_CMS": "0"},  # the copy has no fetched editor
    )
    assert result.returncode != 0
    assert f"{page}, line 1: the front matter has no `owner`" in result.stdout + result.stderr
    assert good.read_text(encoding="utf-8") == "the last good build", "site/ must not be touched"
