"""More checkers than our own axe-core tests, as a new visitor's tools would see the site: Lighthouse and
pa11y (HTML_CodeSniffer and axe) in Debian's Chromium, and the offline copy crawled from disk."""

from __future__ import annotations

import json
import os
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, first_banner_tel, mkdocs_config, one_page_of_each_type, page_for, page_titled
from scr.offline import WORRIED_PAGE

SCRIPT = ROOT / "tests" / "a11y_engines.mjs"

# One page of each type; Lighthouse is slow, so not every page.
LIGHTHOUSE_PAGES = one_page_of_each_type()

# What pa11y still reports, and why it is not a failure. The accessibility statement gives the same reasons.
# (pa11y runs HTML_CodeSniffer only: axe-core is run by our own tests, tests/test_browser.py.)
DOCUMENTED = {
    # Material's search box is a <form> that is never submitted: results appear below it as you type,
    # which is not a change of context (WCAG 3.2.2), so a submit button would do nothing.
    ("htmlcs", "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2"): "in the header's search box only",
}


@pytest.fixture(scope="session")
def engines(server, urls) -> dict:
    """Lighthouse on one page of each type and pa11y on every page, in one Node process."""
    request = {"lighthouse": [server + path for path in LIGHTHOUSE_PAGES.values()], "pa11y": urls}
    result = subprocess.run(
        ["node", str(SCRIPT), json.dumps(request)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium", "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_lighthouse_scores_accessibility_best_practices_and_seo_100_on_every_type_of_page(engines, server):
    low = {}
    for kind, path in LIGHTHOUSE_PAGES.items():
        report = engines["lighthouse"][server + path]
        if any(score != 1 for score in report["scores"].values()) or report["failed"]:
            low[kind] = report
    assert not low, json.dumps(low, indent=1)


def test_pa11y_htmlcs_finds_nothing_beyond_the_documented_exception(engines, urls):
    assert sorted(engines["pa11y"]) == sorted(urls)
    found = {}
    for url, issues in engines["pa11y"].items():
        for issue in issues:
            key = (issue["runner"], issue["code"])
            allowed = key in DOCUMENTED and issue["selector"].startswith("html > body > header")
            if not allowed:
                found.setdefault(url, []).append(
                    f"{issue['runner']} {issue['code']} at {issue['selector']}: {issue['message'][:160]}"
                )
    assert not found, json.dumps(found, indent=1)


def test_accessibility_statement_names_each_engine_and_each_documented_exception():
    statement = (DOCS / page_titled("accessibility statement")).read_text(encoding="utf-8")
    for engine in ("axe-core", "Lighthouse", "pa11y", "HTML_CodeSniffer", "Nu HTML Checker"):
        assert engine in statement, engine
    for runner, code in DOCUMENTED:
        short = ".".join(code.split(".")[-2:]) if runner == "htmlcs" else code  # H32.2, color-contrast
        assert short in statement, code


SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:")


def test_offline_copy_has_no_dead_internal_link_or_source(offline_copy):
    """Every href and src in every page of the unzipped offline copy is a file on disk (file:// shows no
    folder index, so a link to a folder is dead too)."""
    checked, missing = 0, []
    for page in sorted(offline_copy.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("[href], [src]"):
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if not value or value.startswith("#") or value.lower().startswith(SKIP_SCHEMES):
                    continue
                target = (page.parent / unquote(urlsplit(value).path)).resolve()
                checked += 1
                if not target.is_file():
                    missing.append(f"{page.relative_to(offline_copy)}: {attribute}={value}")
    assert checked > 1000 and not missing, f"{len(missing)} dead of {checked}:\n" + "\n".join(sorted(set(missing))[:40])


WRAPPED_NUMBERS = """() => [...document.querySelectorAll('a[href^="tel:"]')]
  .filter(a => a.getClientRects().length > 1).map(a => a.textContent.trim())"""


def test_on_a_phone_the_banner_takes_two_lines_and_no_phone_number_wraps(browser, server):
    page = browser.new_page(viewport={"width": 360, "height": 780})
    for path in ("", "faq/", page_for(WORRIED_PAGE).removesuffix("index.html"), LIGHTHOUSE_PAGES["form page"]):
        page.goto(server + path)
        banner = page.locator(".md-banner .scr-worried")
        line = banner.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert banner.evaluate("e => e.getBoundingClientRect().height") <= 2 * line + 1, path
        assert banner.locator(f"a[href='{first_banner_tel(mkdocs_config())}']").is_visible(), path
        assert banner.locator("a.scr-worried__more").is_visible(), path
        assert page.evaluate(WRAPPED_NUMBERS) == [], path
        # the page's own PDF is a download link saying type, size and pages, not a list of one
        download = page.locator(".scr-downloads a[download]").first
        assert download.is_visible() and "(PDF, " in download.inner_text(), path
        assert page.locator(".scr-downloads li").count() == 0, path
    page.close()
