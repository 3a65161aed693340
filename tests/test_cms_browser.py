"""The web editor at /admin/ in Debian's Chromium, saving through decap-server (Decap's local backend, in git mode:
the editorial workflow's branches, statuses and publishing, as on GitHub, in a local repository).

On a copy of the project: a FAQ question and a practice theme with its briefing boxes are created through the forms
and a page's review date is changed; each goes Draft, In review, Ready and is published. The copy then builds with
--strict and passes lint (front matter, Markdown style, spelling). A required field left empty is refused.
Values typed in come from mkdocs.yml and docs/ (the first topic, tags and audience; a page with nothing special).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site, faq_sources, guidance_sources, mkdocs_config, page_for, plain_page, theme_sources
from scr import briefings, cms, frontmatter
from test_browser import CSP_RECORDER

pytestmark = pytest.mark.full  # Node.js (decap-server), the npm packages and Chromium

GIT_USER = {"GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "editor@example.org"}
GIT_USER |= {"GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True)
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """(project, address of /admin/, decap-server's log): a git repository of the project with decap-server on it,
    and the copy's own build of the editor, served on 127.0.0.1."""
    work = tmp_path_factory.mktemp("cms")
    project = work / "project"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
    shutil.copytree(ROOT, project, ignore=ignore)
    for shared in ("node_modules", ".venv"):
        (project / shared).symlink_to(ROOT / shared)
    (project / ".cache").mkdir()
    (project / ".cache" / "web-editor").symlink_to(ROOT / ".cache" / "web-editor")  # the fetched editor
    git(project, "init", "-q", "-b", "main")
    (project / ".git" / "info" / "exclude").write_text("node_modules\n.venv\n.cache\n")
    git(project, "add", "-A")
    git(project, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", "The project")
    port = free_port()
    log = (work / "decap-server.log").open("w")
    server = subprocess.Popen(
        ["node", str(ROOT / "node_modules/decap-server/dist/index.js")],
        cwd=work,
        env={**os.environ, **GIT_USER, "MODE": "git", "GIT_REPO_DIRECTORY": str(project), "PORT": str(port)}
        | {"BIND_HOST": "127.0.0.1", "LOG_LEVEL": "info"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    backend = f"http://127.0.0.1:{port}/api/v1"
    site = work / "site"
    result = build_site(project, site, {"SCR_CMS_LOCAL_BACKEND": backend, "SCR_CMS": "1"})
    assert result.returncode == 0, result.stderr
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    deadline = time.monotonic() + 30
    while "listening" not in (work / "decap-server.log").read_text() and time.monotonic() < deadline:
        assert server.poll() is None, (work / "decap-server.log").read_text()
        time.sleep(0.1)
    yield project, f"http://127.0.0.1:{httpd.server_address[1]}/{cms.FOLDER}", work / "decap-server.log"
    httpd.shutdown()
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def page(browser, editor):
    """One signed-in editor for the module; every request the editor makes and every policy violation noted."""
    _, address, _ = editor
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_init_script(CSP_RECORDER)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    # Yes to "Are you sure you want to publish this entry?" and to leaving a refused form; no to restoring that
    # form's local backup in the next new entry.
    tab.on("dialog", lambda dialog: dialog.dismiss() if "backup" in dialog.message.lower() else dialog.accept())
    tab.requests, tab.failed, tab.violations = [], [], []
    # Every policy violation of every form (each open_form loads a new document, which starts a new
    # window.__cspViolations), as Chromium reports it on the console.
    tab.on("console", lambda message: "Content Security Policy" in message.text and tab.violations.append(message.text))
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("requestfailed", lambda request: tab.failed.append(f"{request.url}: {request.failure}"))
    tab.on(
        "response", lambda response: response.status >= 400 and tab.failed.append(f"{response.url}: {response.status}")
    )
    tab.goto(address)
    tab.get_by_role("button", name="Login").click()  # the local backend: no account, one click
    tab.get_by_text("Guidance pages").first.wait_for()
    yield tab
    context.close()


def open_form(page, address: str, route: str) -> None:
    """Load the editor afresh at a form (the same address again would keep the last form's typing)."""
    page.goto("about:blank")
    page.goto(address + route)
    field(page, "title" if "themes" in route or "pages" in route else "id").wait_for()


def field(page, name: str):
    """A field's input: Decap gives each control the id `NAME-field-N`."""
    return page.locator(f"[id^='{name}-field-']").first


def choose(page, name: str, *labels: str) -> None:
    """Pick options of a drop-down (react-select) by their labels."""
    for label in labels:
        field(page, name).fill(label)
        page.keyboard.press("Enter")


def write_text(page, text: str) -> None:
    """Replace the Markdown of the text field (Decap's raw mode: what is typed is what is saved)."""
    body = page.locator("[data-slate-editor]")
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def caret(page, line: str, at_start: bool = False) -> None:
    """Put the text cursor at the end (or start) of a line of the text field, as a click there would."""
    text = page.locator("[data-slate-editor]")
    text.focus()
    text.locator("span[data-slate-string]", has_text=line).first.evaluate(
        "(line, atStart) => { const range = document.createRange(); range.selectNodeContents(line);"
        " range.collapse(atStart); getSelection().removeAllRanges(); getSelection().addRange(range); }",
        at_start,
    )
    page.wait_for_timeout(50)  # Slate takes the browser's selection on its next event


def publish(page, project: Path, branch: str) -> None:
    """Save as a draft, set In review, then Ready, then publish; each step is seen in the repository."""
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Status: Draft").wait_for()
    assert branch in git(project, "branch", "--list", "cms/*"), "a draft is a branch of its own"
    assert git(project, "config", f"branch.{branch}.description").strip() == "decap-cms/draft"
    for now, then, label in (("Draft", "In review", "pending_review"), ("In review", "Ready", "pending_publish")):
        page.get_by_role("button", name=f"Status: {now}").click()
        page.get_by_role("menuitem", name=then).click()
        page.get_by_role("button", name=f"Status: {then}").wait_for()
        deadline = time.monotonic() + 10
        while git(project, "config", f"branch.{branch}.description").strip() != f"decap-cms/{label}":
            assert time.monotonic() < deadline, f"{branch} never became {label}"
            time.sleep(0.2)
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("menuitem", name="Publish now").click()
    deadline = time.monotonic() + 20
    while branch in git(project, "branch", "--list", "cms/*"):
        assert time.monotonic() < deadline, f"{branch} was never published"
        time.sleep(0.2)
    assert git(project, "branch", "--show-current").strip() == "main"


def test_the_faq_list_is_the_question_files_and_the_pages_list_every_guidance_page(page, editor):
    project, address, _ = editor
    page.goto(address + "#/collections/faq")
    questions = page.locator("a[href*='/collections/faq/entries/']")
    questions.first.wait_for()
    expected = {meta["question"] for meta in faq_sources()}
    assert {link.inner_text().strip() for link in questions.all()} == expected, "the FAQ page itself is left out"
    page.goto(address + "#/collections/pages")
    files = page.locator("a[href*='/collections/pages/entries/']")
    files.first.wait_for()
    assert files.count() == len([src for src in guidance_sources() if src not in theme_sources()])


def test_a_new_entry_opened_from_its_list_breaks_no_policy(page, editor):
    """As an editor does it: the themes list, then "+ Practice theme". Decap keeps a local backup of the form
    and reads it back through blob: addresses, which the editor's policy must allow (a fresh page load of the
    form does not do this, so the forms below, each loaded afresh, would not show it)."""
    _, address, _ = editor
    page.goto(address + "#/collections/themes")
    page.locator("a[href*='/collections/themes/entries/']").first.wait_for()
    page.locator("a[href$='/collections/themes/new']").click()  # "+ Practice theme"
    field(page, "title").wait_for()
    page.wait_for_timeout(2000)  # the backup is written a moment after the form opens
    assert page.violations == [] and page.evaluate("window.__cspViolations") == []


def test_a_required_field_left_empty_is_refused_and_nothing_is_saved(page, editor):
    project, address, _ = editor
    branches = git(project, "branch", "--list")
    open_form(page, address, "#/collections/faq/new")
    field(page, "id").fill("a-question-without-its-question")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(re.compile("missed a required field", re.I)).wait_for()
    assert page.get_by_text(re.compile(r"is required", re.I)).count() >= 1, "the empty field is marked"
    time.sleep(1)  # had it been saved, decap-server would have made the branch by now
    assert git(project, "branch", "--list") == branches
    assert not list((project / "docs" / "faq").glob("a-question-without*"))


def test_a_question_a_theme_and_a_review_date_made_in_the_editor_build_and_pass_lint(page, editor, tmp_path):
    project, address, server_log = editor
    extra = mkdocs_config()["extra"]
    topic_key, topic = next(iter(extra["faq_topics"].items()))
    tag_keys, tag_labels = list(extra["tags"])[:2], list(extra["tags"].values())[:2]
    audience_key, audience = next(iter(extra["audiences"].items()))
    today = dt.date.today()

    # 1. A FAQ question.
    open_form(page, address, "#/collections/faq/new")
    field(page, "id").fill("who-can-read-an-action-plan")
    field(page, "question").fill("Who can read an action plan?")
    choose(page, "topic", topic)
    field(page, "order").fill("990")
    choose(page, "tags", *tag_labels)
    write_text(page, "Ask the partnership's business unit.\n\nIt can tell you what has been published.")
    publish(page, project, "cms/faq/who-can-read-an-action-plan")
    question = project / "docs/faq/who-can-read-an-action-plan.md"
    meta = frontmatter.parse(question.read_text(encoding="utf-8"), str(question)).meta
    assert meta == {
        "id": "who-can-read-an-action-plan",
        "question": "Who can read an action plan?",
        "topic": topic_key,
        "order": 990,
        "tags": tag_keys,
    }

    # 2. A practice theme with its briefing boxes; its text starts with the sections the briefing is made from.
    open_form(page, address, "#/collections/themes/new")
    field(page, "title").fill("Seeing the whole family")
    field(page, "description").fill("Practice theme on keeping every member of a household in view.")
    field(page, "summary").fill("Reviews found that the adults around a child were not always known to everyone.")
    field(page, "child_says").fill("Nobody asked who else lived with us")
    field(page, "why_it_matters").fill("A child is safer when everyone who cares for them is known.")
    field(page, "briefing_background").fill("This briefing is for teams that visit families at home.")
    field(page, "briefing_information").fill("Talk to your safeguarding lead about any adult you do not know.")
    field(page, "order").fill("990")
    choose(page, "tags", *tag_labels)
    choose(page, "owner", mkdocs_config()["extra"]["owners"][-1])
    assert field(page, "last_reviewed").input_value() == today.isoformat(), "today, as a date picker's value"
    field(page, "review_due").fill((today + dt.timedelta(days=365)).isoformat())
    choose(page, "audience", audience)
    editor_text = page.locator("[data-slate-editor]")
    headings = [line.removeprefix("## ") for line in editor_text.inner_text().splitlines() if line.startswith("## ")]
    assert headings == list(briefings.SECTIONS), "a new theme starts with the sections of its briefing"
    # as an editor would: the title as the first line, then a few lines under each section heading
    caret(page, "## " + headings[0], at_start=True)
    page.keyboard.type("# Seeing the whole family\n\n")
    written = {
        headings[
            0
        ]: "*This is an illustrative composite, not the words of a real child.*\n\nNobody asked who I lived with.",
        headings[1]: "Reviews found that workers did not always know who lived in the household.",
        headings[2]: "- Ask who lives in the home and who visits.",
        headings[3]: "1. Who in this household have I not met?",
        headings[4]: "- The practice themes page of this site.",
    }
    for heading, text in written.items():
        caret(page, "## " + heading)
        page.keyboard.type("\n\n" + text)
    publish(page, project, "cms/themes/seeing-the-whole-family")
    theme = project / "docs/practice-themes/seeing-the-whole-family.md"
    meta = frontmatter.parse(theme.read_text(encoding="utf-8"), str(theme)).meta
    assert meta["why_it_matters"] == "A child is safer when everyone who cares for them is known."
    assert meta["last_reviewed"] == today.isoformat() and meta["audience"] == [audience_key]
    assert meta["status"] == "current" and meta["tags"] == tag_keys

    # 3. A page's review date, and nothing else of it.
    src = plain_page()
    before = frontmatter.parse((ROOT / "docs" / src).read_text(encoding="utf-8"), src)
    due = frontmatter._iso_date(before, "review_due") + dt.timedelta(days=30)
    open_form(page, address, f"#/collections/pages/entries/{cms._slug(src)}")
    field(page, "review_due").fill(due.isoformat())
    publish(page, project, f"cms/pages/{cms._slug(src)}")
    after = frontmatter.parse((project / "docs" / src).read_text(encoding="utf-8"), src)
    assert after.meta == {**before.meta, "review_due": due.isoformat()}
    assert after.body.strip("\n") == before.body.strip("\n"), "the text is saved as it was"

    # The editor asked nothing of any other website, and its policy was never broken.
    with urllib.request.urlopen(address + "config.yml") as served:  # the backend the built editor saves to
        backend = cms.origin(yaml.safe_load(served.read())["local_backend"]["url"])
    site = cms.origin(address)
    hosts = {cms.origin(url) for url in page.requests if url.startswith("http")}
    assert hosts == {site, backend}, hosts  # Decap's script and chunks from the site itself, never a CDN
    fetched = {path.name for path in cms.bundle_dir(ROOT).iterdir()}
    loaded = {url.removeprefix(address).split("?")[0] for url in page.requests if url.startswith(address)}
    assert cms.SCRIPT in loaded and loaded - {"", "config.yml"} <= fetched, loaded - fetched
    assert [failure for failure in page.failed if failure.startswith(site)] == [], "every file the editor asked for"
    assert page.evaluate("window.__cspViolations") == [] and page.violations == []

    # Three changes, each merged into main, and the copy builds strictly and passes lint.
    log = git(project, "log", "--format=%s", "main")
    assert len(log.splitlines()) == 4, log
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    faq_page = (tmp_path / "site" / page_for("faq/index.md")).read_text(encoding="utf-8")
    assert "Who can read an action plan?" in faq_page
    assert (tmp_path / "site" / page_for("practice-themes/seeing-the-whole-family.md")).is_file()
    lint = subprocess.run(["bash", "scripts/lint.sh"], cwd=project, capture_output=True, text=True, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "error" not in server_log.read_text().lower()
