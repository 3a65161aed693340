"""`make serve` in Chromium: a failed rebuild shows its message in the page the editor is looking at, and the
next good save brings the page back, with no reload by hand (hooks/scr/serve_errors.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import front_matter, page_for, plain_page

PAGE = f"docs/{plain_page()}"  # any guidance page
WAIT_MS = 60_000  # a rebuild of the copy takes a few seconds; the machine may be busy


@pytest.fixture
def served(project_copy, tmp_path):
    """`mkdocs serve --strict` on a free port, as `make serve` runs it (live reload on, no PDFs)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("SCR_PDF", "SCR_TODAY", "SCR_CMS")}
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project_copy,
        env={**env, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:  # wait for the first build to be served
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.2)
        yield project_copy, url, tmp_path / "serve.log"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def save(path: Path, text: str) -> None:
    """Save as an editor's text editor does; the server notices within a second."""
    path.write_text(text, encoding="utf-8")


def test_a_failed_rebuild_shows_in_the_browser_and_the_next_good_save_brings_the_page_back(served, browser):
    project, url, log = served
    # The copy has no fetched web editor: `mkdocs serve` leaves /admin/ out and says so, where a build would stop.
    assert "The web editor (/admin/) is left out: it is not fetched (make web-editor" in log.read_text(encoding="utf-8")
    source = project / PAGE
    good = source.read_text(encoding="utf-8")
    title = front_matter(source)["title"]

    page = browser.new_page()
    page.goto(url + page_for(PAGE.removeprefix("docs/")).removesuffix("index.html"))
    page.wait_for_selector(f"article h1:text-is('{title}')")

    # A good save shows by itself (the page's Content-Security-Policy lets the live-reload script run).
    sentence = "This sentence was saved while the preview was open."
    save(source, good.rstrip("\n") + f"\n\n{sentence}\n")
    page.wait_for_selector(f"text={sentence}", timeout=WAIT_MS)

    # A page's mistake: the message the terminal shows, in the page, with the file, line and fix.
    save(source, good.replace(next(line for line in good.splitlines() if line.startswith("owner:")) + "\n", "", 1))
    page.wait_for_selector("text=The preview could not be built", timeout=WAIT_MS)
    problem = page.locator(".scr-build-error").first.inner_text()
    assert f"{PAGE}, line 1: the front matter has no `owner`" in problem
    assert "How to fix it:" in problem and "owner:" in problem.split("How to fix it:")[1]
    assert page.locator("[role=alert]").count() == 1

    # The next good save: the same page again, without a reload by hand.
    save(source, good)
    page.wait_for_selector(f"article h1:text-is('{title}')", timeout=WAIT_MS)
    assert page.url.endswith(page_for(PAGE.removeprefix("docs/")).removesuffix("index.html"))

    # A YAML mistake in mkdocs.yml: MkDocs would print a traceback; the page gives the line, column and fix.
    config = project / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    lines = settings.splitlines(keepends=True)
    contact = next(n for n, line in enumerate(lines) if line.startswith("  contacts:"))
    moved = next(n for n in range(contact + 2, len(lines)) if lines[n].startswith("      phone:"))
    save(config, "".join(lines[:moved] + [lines[moved][2:]] + lines[moved + 1 :]))
    page.wait_for_selector("text=The preview could not be built", timeout=WAIT_MS)
    problem = page.locator(".scr-build-error").first.inner_text()
    assert f"mkdocs.yml, line {moved + 2}, column " in problem and "not valid YAML" in problem
    assert "How to fix it:" in problem

    save(config, settings)
    page.wait_for_selector(f"article h1:text-is('{title}')", timeout=WAIT_MS)
    page.close()
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output, output
    assert f"{PAGE}, line 1: the front matter has no `owner`" in output, "the terminal says it too"
