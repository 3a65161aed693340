"""Renaming a page keeps its old address working, and its "Last updated" date follows it across the rename."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, build_site, guidance_sources, mkdocs_config, page_for
from scr import history, offline, redirects
from scr.errors import EditorError
from scr.site import HISTORY_PAGE


def nav_paths(items) -> list[str]:
    found = []
    for item in items or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
    return found


# A page an editor might rename: in the navigation, not one the build itself needs by name.
SPECIAL = {"index.md", HISTORY_PAGE, offline.WORRIED_PAGE}
MOVED = next(
    path
    for path in nav_paths(mkdocs_config()["nav"])
    if path in guidance_sources()
    and path not in SPECIAL
    and "form" not in guidance_sources()[path]
    and not path.endswith("index.md")
)
NEW = MOVED.removesuffix(".md") + "-renamed.md"


def rename_with_redirect(project: Path) -> None:
    """What CONTRIBUTING.md tells an editor to do: rename the file, its links and nav entry, and add a redirect."""
    (project / "docs" / MOVED).rename(project / "docs" / NEW)
    old_name, new_name = Path(MOVED).name, Path(NEW).name
    for path in [project / "mkdocs.yml", *(project / "docs").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        if old_name in text:
            path.write_text(text.replace(old_name, new_name), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    entry = f"\n    {MOVED}: {NEW}"
    text = (
        text.replace("  redirects: {}", "  redirects:" + entry)
        if "  redirects: {}" in text
        else text.replace("  redirects:", "  redirects:" + entry, 1)
    )
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """A copy of the site with one page renamed as an editor would, built as the site and as the offline copy."""
    import shutil

    work = tmp_path_factory.mktemp("renamed")
    project = work / "project"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
    shutil.copytree(ROOT, project, ignore=ignore)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    rename_with_redirect(project)
    site = build_site(project, work / "site")
    offline_copy = build_site(project, work / "offline", {"SCR_OFFLINE_COPY": "1"}, "mkdocs-offline.yml")
    assert site.returncode == 0, site.stderr
    assert offline_copy.returncode == 0, offline_copy.stderr
    return work


def test_the_old_address_opens_the_new_page_on_the_site(renamed, browser):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=renamed / "site")
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        page.goto(base + page_for(MOVED).removesuffix("index.html"))
        page.wait_for_url(base + page_for(NEW).removesuffix("index.html"))
        assert page.locator("h1").first.inner_text() == guidance_sources()[MOVED]["title"]
        page.close()
    finally:
        httpd.shutdown()


def test_the_old_address_opens_the_new_page_in_the_offline_copy(renamed, browser):
    old = renamed / "offline" / MOVED.replace(".md", ".html")
    page = browser.new_page()
    page.goto(old.as_uri())
    page.wait_for_url((renamed / "offline" / NEW.replace(".md", ".html")).as_uri())
    assert page.locator("h1").first.inner_text() == guidance_sources()[MOVED]["title"]
    page.close()


def test_the_moved_notice_works_without_the_refresh(renamed):
    """Someone whose browser does not follow the refresh sees a link, named after the page."""
    html = (renamed / "site" / page_for(MOVED)).read_text(encoding="utf-8")
    title = guidance_sources()[MOVED]["title"]
    assert re.search(rf'<a href="[^"]*{re.escape(Path(NEW).stem)}/">{re.escape(title)}</a>', html), html
    assert '<html lang="en-GB">' in html and "<script" not in html


PAGES = {"a.md", "b.md", "folder/c.md"}


@pytest.mark.parametrize(
    ("value", "problem", "fix"),
    [
        ({"a.md": "d.md"}, "docs/a.md still exists", "delete docs/a.md if the page has moved"),
        ({"old.md": "bb.md"}, "goes to docs/bb.md, which does not exist", "Did you mean 'b.md'?"),
        (
            {"old.md": "older.md", "older.md": "b.md"},
            "old.md redirects to older.md, which redirects again",
            "`old.md: b.md`",
        ),
        ({"x.md": "y.md", "y.md": "x.md"}, "x.md redirects to y.md, which redirects again", "point each old name"),
        ({"old": "b.md"}, "does not name two Markdown files", "old-name.md: new-name.md"),
        (["old.md"], "not a list of `old-name.md: new-name.md` lines", "under `redirects:`"),
    ],
)
def test_a_wrong_redirect_is_a_message_naming_the_line(tmp_path, value, problem, fix):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: S\nextra:\n  redirects:\n    old.md: b.md\n    x.md: y.md\n    a.md: d.md\n")
    with pytest.raises(EditorError) as caught:
        redirects.load(value, PAGES, config)
    assert problem in caught.value.problem and fix in caught.value.fix
    if isinstance(value, dict):
        key = next(iter(value))
        line = next(
            n for n, text in enumerate(config.read_text().splitlines(), 1) if key in text and "redirects" not in text
        )
        assert caught.value.path == f"mkdocs.yml, line {line} (extra.redirects)"


def test_a_good_redirect_list_is_read():
    assert redirects.load({"old.md": "folder/c.md"}, PAGES) == [redirects.Redirect("old.md", "folder/c.md")]
    assert redirects.load(None, PAGES) == []


def git(repo: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@example.org"
    if day:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{day}T12:00:00+00:00"
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_last_updated_follows_a_page_across_a_rename(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    git(tmp_path, "init", "-q")
    text = "# A page\n\n" + "A line of the page that stays the same.\n" * 20
    (docs / "old.md").write_text(text)
    (docs / "other.md").write_text("# Other\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", day="2026-01-10")
    git(tmp_path, "mv", "docs/old.md", "docs/new.md")
    git(tmp_path, "commit", "-qm", "rename only", day="2026-02-20")
    assert history.last_commit_dates(tmp_path)["new.md"] == dt.date(2026, 1, 10)
    git(tmp_path, "mv", "docs/new.md", "docs/newer.md")
    (docs / "newer.md").write_text(text + "One more line.\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "rename and edit", day="2026-03-30")
    dates = history.last_commit_dates(tmp_path)
    assert dates["newer.md"] == dt.date(2026, 3, 30)
    assert dates["other.md"] == dt.date(2026, 1, 10)
    assert "old.md" not in dates and "new.md" not in dates


def test_on_github_a_checkout_git_cannot_read_fails_loudly(tmp_path):
    """A shallow clone (or one git refuses, as in a container it does not own) would give every page a wrong
    "Last updated" date: on GitHub Actions that stops the build with the fix; elsewhere the review date is used."""
    source = tmp_path / "source"
    (source / "docs").mkdir(parents=True)
    git(source, "init", "-q")
    for day in ("2026-01-10", "2026-02-20"):
        (source / "docs" / "a.md").write_text(f"# A\n\nChanged on {day}.\n")
        git(source, "add", ".")
        git(source, "commit", "-qm", day, day=day)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", source.as_uri(), str(shallow)], check=True)
    assert history.last_commit_dates(shallow) == {}
    with pytest.raises(EditorError) as caught:
        history.last_commit_dates(shallow, required=True)
    assert "shallow" in caught.value.problem and "fetch-depth: 0" in caught.value.fix
    broken = tmp_path / "broken"
    (broken / "docs").mkdir(parents=True)
    (broken / ".git").write_text("gitdir: /nowhere\n")  # a checkout git cannot read
    assert history.last_commit_dates(broken) == {}
    with pytest.raises(EditorError) as caught:
        history.last_commit_dates(broken, required=True)
    assert "git cannot read its history" in caught.value.problem and "safe.directory" in caught.value.fix
    assert history.last_commit_dates(tmp_path / "source", required=True)["a.md"] == dt.date(2026, 2, 20)
    plain_folder = tmp_path / "not-a-checkout"
    (plain_folder / "docs").mkdir(parents=True)
    assert history.last_commit_dates(plain_folder, required=True) == {}  # a copy with no git at all is fine
