"""Every page in a real browser (Debian's Chromium): WCAG 2.2 AA with axe-core, reflow, keyboard, search,
privacy (no request to any other origin, no cookies) and the Content-Security-Policy."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, faq_sources, one_page_of_each_type, page_for, page_titled, plain_page, theme_sources

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def search(page, query: str) -> None:
    """Type a query once Material's search worker has loaded the index (before that it shows
    "Initializing search" and drops what was typed)."""
    box = page.locator("input.md-search__input")
    box.focus()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initiali[sz]ing/i.test(m.textContent); }",
        timeout=60_000,
    )
    page.keyboard.type(query)  # key by key: Material reads the query on keyup


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_wcag_22_aa_violation_on_any_page(browser, urls, server, scheme, width):
    """Every page on a desktop screen; on a 320-pixel screen, one page of each type (the layout is the type's:
    every page is checked at 320 px for sideways scrolling below)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    checked = urls if width > 320 else [server + path for path in one_page_of_each_type().values()]
    assert set(checked) <= set(urls), "one page of each type, among the site's pages"
    for url in checked:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
            WCAG_TAGS,
        )
        if violations:
            found[url] = violations
    context.close()
    assert not found, json.dumps(found, indent=1)


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS pixels is a 1280-pixel window at 200% zoom
def test_no_page_scrolls_sideways_on_a_narrow_screen_or_at_200_percent_zoom(browser, urls, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = []
    for url in urls:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append((url, overflow))
        assert page.locator("article h1").first.is_visible(), url
    page.close()
    assert not wide, f"these pages scroll sideways at {width}px: {wide}"


def test_first_tab_reaches_a_skip_link_that_works(browser, urls):
    page = browser.new_page()
    for url in urls:
        page.goto(url)
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.hash]")
        assert focused[0] == "Skip to content", url
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == focused[1], url
        target = page.locator(focused[1])
        assert target.is_visible() and target.evaluate("e => e.getBoundingClientRect().top") < 200, url
    page.close()


FOCUS_VISIBLE = """() => {
  const shown = e => { const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; };
  const e = document.activeElement;
  // Material's colour switch is a hidden radio button shown by the label after it
  const next = e.tagName === 'INPUT' ? e.nextElementSibling : null;
  const label = (e.id && document.querySelector(`label[for="${e.id}"]:not([hidden])`)) ||
                (next && next.tagName === 'LABEL' ? next : null);
  const r = (label || e).getBoundingClientRect();
  return {key: e.outerHTML.slice(0, 200), body: e === document.body,
          name: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
          visible: shown(e) || (label !== null && shown(label)),
          onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 320])
def test_keyboard_focus_is_always_visible_and_on_screen(browser, server, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path in ("", "faq/", "practice-themes/", page_for(plain_page()).removesuffix("index.html")):
        page.goto(server + path)
        seen = set()
        for _ in range(30):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_VISIBLE)
            if state["body"] or state["key"] in seen:
                break  # round the whole page and back to the start
            seen.add(state["key"])
            assert state["visible"], f"{path}: focus on {state['name']!r} cannot be seen"
            assert state["onScreen"], f"{path}: focus went to {state['name']!r}, which is off screen"
    page.close()


def test_menu_opens_and_closes_from_the_keyboard_on_a_small_screen(browser, server):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(server)
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    nav_link = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Worried about a child?").first
    nav_link.wait_for(state="visible")
    menu.press("Space")  # the same button closes it, with either key
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    assert not nav_link.is_visible()
    page.close()


def test_search_works_from_the_keyboard_alone(browser, server):
    page = browser.new_page()
    page.goto(server)
    page.keyboard.press("/")  # Material's shortcut opens the search
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.wait_for_function(
        "() => !/initiali[sz]ing/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    question = faq_sources()[-1]  # typed as a visitor would, without the question mark
    page.keyboard.type(question["question"].rstrip("?"))
    answer = page.locator(".md-search-result__item", has_text=question["question"])
    answer.first.wait_for()
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if f"#{question['id']}" in (page.evaluate("document.activeElement.href") or ""):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/faq/(\?h=[^#]*)?#{re.escape(question['id'])}$"))
    assert page.locator(f"#{question['id']}").is_visible()
    page.close()


def test_search_finds_a_practice_theme_by_its_name(browser, server):
    page = browser.new_page()
    page.goto(server)
    src, meta = next(iter(theme_sources().items()))
    search(page, meta["title"])
    hit = page.locator(f".md-search-result__item a[href*='{src.removesuffix('.md')}/']")
    hit.first.wait_for()
    page.close()


def test_content_headings_do_not_skip_levels(pages):
    for path, page in pages.items():
        levels = [int(h.name[1]) for h in page.find("article").find_all(re.compile(r"^h[1-6]$"))]
        assert levels and levels[0] == 1, path
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path}: a heading jumps from h{before} to h{after}"


def test_no_request_leaves_the_site_and_no_cookie_is_set(browser, urls, server):
    context = browser.new_context()
    outside = []

    def guard(route):
        if urlparse(route.request.url).netloc != urlparse(server).netloc:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert not outside, f"{url} asked another origin for {outside[0]}"
    page.goto(urls[0])
    search(page, "neglect")
    page.locator(".md-search-result__item").first.wait_for()
    assert context.cookies() == []
    storage = page.evaluate("Object.keys(localStorage)")
    assert all(key.endswith("__palette") for key in storage), storage
    context.close()


def test_privacy_page_documents_the_local_storage_material_uses(pages):
    documenting = [p for p in pages.values() if "__palette" in p.find("article").get_text()]
    assert documenting, "no page tells visitors what the site keeps in their browser"
    assert "cookies" in documenting[0].find("article").get_text().lower()


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: sources}."""
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_strict_csp_on_every_page_with_no_violation_and_everything_still_working(browser, urls, site):
    context = browser.new_context()
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    console = []
    page.on(
        "console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None
    )
    policies = {}
    for url in urls:
        page.goto(url)
        policy = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        policies[url] = policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0], url
        assert "object-src 'none'" in policy and "base-uri 'self'" in policy and "http" not in policy, url
        assert page.evaluate("window.__cspViolations") == [], url
    # search, the colour switch and the menu all still work under the policy
    page.goto(urls[0])
    search(page, "referral")
    page.locator(".md-search-result__item").first.wait_for()
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != before
    assert page.evaluate("window.__cspViolations") == [] and console == []
    context.close()
    headers = (site / "_headers").read_text(encoding="utf-8")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert f"  {name}: " in headers
    assert "frame-ancestors 'none'" in headers and "X-Frame-Options: DENY" in headers
    # A host that serves `_headers` sends its policy with every page: it must let each page's scripts run, as
    # the page's own policy (which the browser ran above without a violation) does, and be no looser.
    header = directives(re.search(r"^  Content-Security-Policy: (.+)$", headers, re.M).group(1))
    header_scripts = set(header.pop("script-src"))
    for url, policy in policies.items():
        meta = directives(policy)
        assert set(meta.pop("script-src")) <= header_scripts, f"{url}: the header would block a script of this page"
        assert header == {**meta, "frame-ancestors": ["'none'"]}, url
    every_script = {source for policy in policies.values() for source in directives(policy)["script-src"]}
    assert header_scripts == every_script, "the header allows a script no page has"


@pytest.mark.full  # Java (the Nu HTML Checker)
def test_w3c_html_checker_finds_no_error_on_any_page(site):
    files = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr[:3000]


def test_accessibility_statement_says_how_and_when_it_was_tested(pages):
    text = pages[page_for(page_titled("accessibility statement"))].find("article").get_text(" ")
    for words in ("axe-core", "320", "dark", "keyboard", "Equality and Human Rights Commission"):
        assert words in text, words
    assert Path(AXE).is_file() and Path(VNU).is_file()
