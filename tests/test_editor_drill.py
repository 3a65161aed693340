"""The editor drill (`make drill`, scripts/editor_drill.py): its edits, made on a copy in every `make test`, give a
project that lints and builds and shows each edit; and the workflow that runs the whole drill."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, import_script, mkdocs_config, page_for
from test_workflows import SAFE_DIRECTORY, load_workflow, run_lines

drill = import_script("editor_drill")


def read(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def drilled(tmp_path_factory):
    """A copy of the project with every edit of the drill made, its lint result and its build (no PDFs)."""
    folder = tmp_path_factory.mktemp("drill")
    project = drill.copy_project(folder / "project")
    for edit in drill.EDITS:
        edit(project)
    lint = subprocess.run(["bash", "scripts/lint.sh"], cwd=project, capture_output=True, text=True, timeout=300)
    build = build_site(project, folder / "site")
    return project, folder / "site", lint, build


def test_the_edited_copy_passes_lint_and_builds(drilled):
    _, _, lint, build = drilled
    assert lint.returncode == 0, lint.stdout[-3000:] + lint.stderr[-3000:]
    assert build.returncode == 0, build.stderr[-3000:]


def test_every_contact_number_changed_to_another_uk_number(drilled):
    project = drilled[0]
    before = mkdocs_config()["extra"]["contacts"]
    after = drill.config(project)["extra"]["contacts"]
    phones = {key: (before[key]["phone"], after[key]["phone"]) for key in before if "phone" in before[key]}
    assert phones
    for key, (old, new) in phones.items():
        assert old != new, key
        digits = new.replace(" ", "")
        assert re.fullmatch(r"999|1\d\d|0[1-9]\d{9}", digits), f"{key}: {new} is not a UK number"
    site = drilled[1]
    worried = read(site / "index.html").select_one(".md-banner")
    first = after[drill.config(project)["extra"]["worried_banner"][0]]["phone"]
    assert first in worried.get_text(" "), "the banner shows the new number"


def test_the_renamed_page_is_built_at_its_new_address_and_the_old_one_points_there(drilled):
    project, site, _, _ = drilled
    before = mkdocs_config()["extra"].get("redirects") or {}
    ((old, new),) = [(o, n) for o, n in drill.config(project)["extra"]["redirects"].items() if o not in before]
    assert not (project / "docs" / old).exists() and (project / "docs" / new).is_file()
    assert read(site / page_for(new)).find("h1")
    moved = read(site / page_for(old))
    refresh = moved.find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = (site / page_for(old)).parent / refresh.split("url=", 1)[1]
    assert (target / "index.html").resolve() == (site / page_for(new)).resolve()


def test_the_added_question_is_listed_and_the_deleted_one_is_gone(drilled):
    project, site, _, _ = drilled
    ids = {
        yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["id"]
        for p in (ROOT / "docs/faq").glob("*.md")
        if p.name != "index.md"
    }
    now = {
        yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["id"]
        for p in (project / "docs/faq").glob("*.md")
        if p.name != "index.md"
    }
    (added,), (deleted,) = now - ids, ids - now
    faq = read(site / page_for("faq/index.md"))
    assert faq.find(id=added) and not faq.find(id=deleted)


def test_the_added_theme_and_page_are_built_with_their_table_and_image(drilled):
    project, site, _, _ = drilled
    theme = read(site / page_for("practice-themes/working-with-fathers.md"))
    assert theme.find("h1").get_text(strip=True) == "Working with fathers and male carers"
    page = read(site / page_for("learning-days-for-schools.md")).find("article")
    assert len(page.select("table tbody tr")) == 2
    image = page.find("img")
    assert (
        image["alt"].strip()
        and (site / page_for("learning-days-for-schools.md")).parent.joinpath(image["src"]).is_file()
    )
    from PIL import Image

    with Image.open(project / "docs/assets/images/training-timeline.png") as picture:
        assert picture.width == 1600


def test_the_new_title_and_todays_review_show_on_the_pages(drilled):
    project, site, _, _ = drilled
    retitled = drill.guidance_pages(project)[0]
    title = drill.front(project / "docs" / retitled)["title"]
    assert title.endswith("(revised)")
    assert read(site / page_for(retitled)).find("h1").get_text(strip=True) == title
    today = dt.date.today()
    for path in (project / "docs").rglob("*.md"):
        meta = drill.front(path) if path.read_text(encoding="utf-8").startswith("---") else {}
        if "last_reviewed" in meta:
            assert meta["last_reviewed"] == today and meta["review_due"] > today, path


def test_the_drill_runs_weekly_and_on_pull_requests_that_change_the_tests():
    workflow = load_workflow("editor-drill.yml")
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    assert "tests/**" in workflow["on"]["pull_request"]["paths"]
    assert run_lines(workflow) == [SAFE_DIRECTORY, "make drill"]
    (job,) = workflow["jobs"].values()
    assert job["container"] == "node:20-bookworm"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^drill: setup-test\n\t\$\(BIN\)/python scripts/editor_drill\.py$", makefile, re.M)
    assert "make drill" in (ROOT / "README.md").read_text(encoding="utf-8")
