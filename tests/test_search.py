"""Search as visitors use it, in Chromium: the answers people want come first, the index downloads only
when someone starts to search, and it works by keyboard, for screen readers and under the CSP. Also pins
the parts of Material for MkDocs our search relies on, so an upgrade that changes them fails here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from conftest import DOCS, faq_sources, mkdocs_config, page_for, theme_sources
from search_probe import WORKER_WATCH, ask, found
from test_browser import AXE, CSP_RECORDER, WCAG_TAGS  # the server fixture comes from conftest.py

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
REDIRECTS = mkdocs_config()["extra"].get("redirects") or {}


def address_now(wanted: str) -> str:
    """Where a wanted page is today: a page renamed with a redirect in mkdocs.yml is wanted at its new address."""
    path, hash_, anchor = wanted.partition("#")
    for source in (path.rstrip("/") + ".md", path + "index.md"):
        if source in REDIRECTS:
            path = page_for(REDIRECTS[source]).removesuffix("index.html")
    return path + hash_ + anchor


def still_there(site: Path, wanted: str) -> bool:
    """The wanted page (and section) exists: a query for a page an editor removed has nothing to find."""
    path, _, anchor = wanted.partition("#")
    page = site / (path + "index.html" if not path.endswith(".html") else path)
    return page.is_file() and (not anchor or f'id="{anchor}"' in page.read_text(encoding="utf-8"))


TOP_3_TARGET = 1.0  # every query finds its page in the first three: a miss is a page or keyword to fix
MATERIAL = Path(__import__("material").__file__).parent / "templates"


@pytest.fixture(scope="module")
def search_page(browser, server):
    context = browser.new_context()
    context.add_init_script(CSP_RECORDER)
    context.add_init_script(WORKER_WATCH)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(server)
    page.wait_for_load_state("networkidle")
    yield page, requests
    context.close()


def test_the_index_waits_until_a_visitor_starts_to_search(search_page, server):
    page, requests = search_page
    assert page.evaluate("window.__search.workers") == [server + "assets/javascripts/workers/scr-search.js"]
    asked = [urlparse(url).path for url in requests]
    assert not [path for path in asked if "search_index" in path or "/workers/search." in path], asked
    page.locator("input.md-search__input").focus()
    page.wait_for_function(
        "() => !/initiali[sz]ing/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    asked = [urlparse(url).path for url in requests]
    assert sum(path.endswith("/search/search_index.json") for path in asked) == 1, asked


def test_every_query_of_the_query_set_finds_the_wanted_page_in_the_top_3(search_page, server, site):
    page, _ = search_page
    page.locator("input.md-search__input").focus()
    misses = []
    queries = [{**item, "page": address_now(item["page"])} for item in QUERIES]
    gone = [item for item in queries if not still_there(site, item["page"])]
    if gone:  # an editor removed the page or question: nothing to find, so not a miss (update the query set)
        print("queries whose page no longer exists:", [item["query"] for item in gone])
    for item in [q for q in queries if q not in gone]:
        groups = ask(page, server, item["query"])
        if not found(groups, item["page"]):
            misses.append(f"{item['query']!r} wants {item['page']}, got {[g[:1] for g in groups]}")
    rate = 1 - len(misses) / (len(queries) - len(gone))
    assert rate >= TOP_3_TARGET, f"top-3 rate {rate:.0%}; misses:\n" + "\n".join(misses)
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("disiplinary", "faq/#will-i-be-at-risk-of-disciplinary-action"),  # one letter missing
        ("neglact", "practice-themes/neglect/"),  # one letter wrong
        ("CSPR", "about-scrs/"),  # an abbreviation
        ("who do I call", "worried-about-a-child/"),  # everyday words
    ],
)
def test_typos_abbreviations_and_everyday_words_find_the_page(search_page, server, site, query, wanted):
    wanted = address_now(wanted)
    if not still_there(site, wanted):  # as in the query set: an editor removed it, so there is nothing to find
        pytest.skip(f"{wanted} no longer exists: choose another page for this kind of query")
    page, _ = search_page
    page.locator("input.md-search__input").focus()
    assert found(ask(page, server, query), wanted)


def words_in_sources_and_text(count: int = 3) -> list[str]:
    """Words that a theme's `## Sources` list and the theme's own text both use: a search for one must find the
    text, never the list (which is kept out of the index)."""
    words = []
    for src in theme_sources():
        body = (DOCS / src).read_text(encoding="utf-8").split("---", 2)[2]
        text, _, rest = body.partition("\n## Sources\n")
        sources = re.split(r"^## |^\[\^", rest, flags=re.M)[0]
        shared = [w for w in re.findall(r"[A-Za-z]{7,}", sources) if re.search(rf"\b{w}\b", text)]
        words += shared[:1]
    return words[:count]


def test_a_sources_list_does_not_outrank_the_subject(search_page, server):
    page, _ = search_page
    page.locator("input.md-search__input").focus()
    queries = words_in_sources_and_text()
    assert queries, "no theme's Sources list shares a word with its text"
    for query in queries:
        links = [link for group in ask(page, server, query) for link in group]
        assert links and not any(link.endswith("#sources") for link in links), (query, links)


def test_results_are_announced_and_reachable_by_keyboard(search_page, server):
    page, _ = search_page
    page.locator("input.md-search__input").focus()
    question = faq_sources()[0]
    ask(page, server, question["question"])
    meta = page.locator(".md-search-result__meta")
    assert meta.get_attribute("role") == "status" and meta.get_attribute("aria-live") == "polite"
    assert re.search(r"\d+ matching document", meta.inner_text()), meta.inner_text()
    for _ in range(5):  # the FAQ page first, then its answer
        page.keyboard.press("ArrowDown")
        href = page.evaluate("document.activeElement.href || ''")
        if f"#{question['id']}" in href:
            break
    assert "/faq/" in href and f"#{question['id']}" in href
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/faq/(\?h=[^#]*)?#{re.escape(question['id'])}$"))
    assert page.evaluate("window.__cspViolations") == []


# The parts of Material for MkDocs our search relies on (see README, "How search works").


def test_material_still_fetches_the_index_the_way_search_js_holds_it_back():
    bundle = next((MATERIAL / "assets/javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    # the index over the web: one XMLHttpRequest for search/search_index.json
    assert 'new URL("search/search_index.json",' in bundle
    assert "new XMLHttpRequest" in bundle and '.responseType="blob"' in bundle
    # from disk: a <script> for search/search_index.js appended to <head>
    assert 'location.protocol==="file:"?' in bundle and "search/search_index.js" in bundle
    assert "document.head.appendChild(" in bundle
    # the worker's address comes from the page's config, and Material sends it a query as {type: 2, data}
    assert "new Worker(" in bundle and re.search(r"\.next\(\{type:2,data:\w+\}\)", bundle)


def test_material_worker_still_takes_the_messages_our_worker_passes_on():
    worker = next((MATERIAL / "assets/javascripts/workers").glob("search.*.min.js")).read_text(encoding="utf-8")
    assert 'addEventListener("message",' in worker
    assert re.search(r"case 0:.*?\{type:1\};case 2:let \w+=\w+\.data;try\{return\{type:3,data:", worker)
    assert "self.lunr=" in worker  # our worker uses lunr's stop words
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert re.search(r"\"search\": \"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js\" \| url", base)
    assert "{% block scripts %}" in base and "{% block config %}" in base


def test_every_page_uses_our_worker_and_the_index_carries_our_tuning(site, search_index):
    config = __import__("json").loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]
    assert "tags" not in config["fields"] and "keywords" in config["fields"]
    assert "lado" in config["synonyms"] and "child" in config["common"]
    assert not [doc["location"] for doc in search_index if doc["location"].endswith("#sources") or "tags" in doc]
    worker = (site / "assets/javascripts/workers/scr-search.js").read_text(encoding="utf-8")
    material = re.search(r'var MATERIAL = "(search\.[0-9a-f]+\.min\.js)"', worker).group(1)
    assert (site / "assets/javascripts/workers" / material).is_file()
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        if 'id="__config"' in text:
            assert re.search(r'"search": "[^"]*assets/javascripts/workers/scr-search\.js"', text), html
            assert text.index("assets/javascripts/search.js") < text.index("assets/javascripts/bundle."), html


# The index as the hook tunes it, and editors' search fields (no browser).

GOOD = (
    "---\ntitle: T\ndescription: D.\nowner: O\nlast_reviewed: 2026-11-26\nreview_due: 2027-11-26\naudience: [public]\n"
)


def checked(extra: str):
    from scr import frontmatter

    doc = frontmatter.parse(GOOD + extra + "---\n\n# T\n", "docs/x.md")
    return frontmatter.check_governance(doc, {"public": "Public"}, {"current": "Current"})


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ("search:\n  boost: high\n", 8, ["`search: boost:` is 'high'", "number from 0.1 to 10.0", "use 2 or 3"]),
        ("search:\n  boost: 50\n", 8, ["is 50", "number from 0.1 to 10.0"]),
        ("search: 2\n", 8, ["`search` must hold `boost:`", "boost: 2"]),
        ("search:\n  exclude: maybe\n", 8, ["must be true or false"]),
        ("keywords: call, phone\n", 8, ["`keywords` must be a list", "keywords: [phone, call"]),
    ],
)
def test_bad_search_fields_name_the_file_line_and_fix(extra, line, words):
    from scr.errors import EditorError

    with pytest.raises(EditorError) as caught:
        checked(extra)
    assert caught.value.path == "docs/x.md" and caught.value.line == line, caught.value.message
    for word in words:
        assert word in caught.value.message


def test_good_search_fields_are_accepted():
    gov = checked("search:\n  boost: 2.5\nkeywords: [call, phone number]\n")
    assert gov.extra["keywords"] == ["call", "phone number"] and gov.extra["search"] == {"boost": 2.5}


def test_sources_related_lists_and_footnotes_are_kept_out_of_the_index():
    from scr import search

    html = (
        '<h2 id="what-to-send">What to send</h2><p>x</p><h2 id="sources">Sources</h2><ul><li>y</li></ul>'
        '<h3 id="topic-when-questions">When</h3><div class="footnote"><ol><li>z</li></ol></div>'
    )
    out = search.exclude_sections(html)
    assert (
        '<h2 id="sources" data-search-exclude>' in out and '<h3 id="topic-when-questions" data-search-exclude>' in out
    )
    assert '<div class="footnote" data-search-exclude>' in out and '<h2 id="what-to-send">' in out


def test_tuned_index_drops_slug_tags_and_carries_keywords_synonyms_and_common_words():
    from scr import glossary, search

    docs = [
        {"location": f"p{i}/", "title": "Child page", "text": f"child {word}", "tags": ["seeing-the-child"]}
        for i, word in enumerate(["neglect", "babies", "teenagers"])
    ]
    data = {"config": {"fields": {"title": {"boost": 1e3}, "text": {"boost": 1}, "tags": {"boost": 1e6}}}, "docs": docs}
    synonyms = search.abbreviation_synonyms([glossary.Abbreviation("LADO", "Local Authority Designated Officer")])
    tuned = search.tune_index(data, {"p1/": ["Babies", "infants"]}, synonyms)
    assert set(tuned["config"]["fields"]) == {"title", "text", "keywords"}
    assert not any("tags" in doc for doc in tuned["docs"])
    assert tuned["docs"][1]["keywords"] == "Babies, infants" and "keywords" not in tuned["docs"][0]
    assert tuned["config"]["synonyms"] == {"lado": ["local", "authority", "designated", "officer"]}
    assert "child" in tuned["config"]["common"] and "neglect" not in tuned["config"]["common"]


def test_page_keywords_are_the_editors_words_then_the_tags_names():
    from scr import search

    meta = {"keywords": ["phone", "call"], "tags": ["neglect", "babies"]}
    assert search.page_keywords(meta, {"neglect": "Neglect", "babies": "Babies"}) == [
        "phone",
        "call",
        "Neglect",
        "Babies",
    ]


def test_a_search_that_finds_nothing_offers_where_to_go_next(search_page, server, site):
    """Never a dead end: the count line says so, and the suggestions (who to call, the FAQ, the glossary, how to
    tell us) appear under it, each a working link; they go again once a search finds something."""
    page, _ = search_page
    page.locator("input.md-search__input").focus()
    assert ask(page, server, "qqzzxxyy") == []
    help_panel = page.locator(".scr-search-help")
    help_panel.wait_for(state="visible")
    assert page.locator(".md-search-result__meta").inner_text().strip() == help_panel.get_attribute("data-none")
    links = help_panel.locator("a")
    assert links.count() == 4
    for i in range(links.count()):
        address = links.nth(i).evaluate("a => a.href")
        path, _, anchor = address.removeprefix(server).partition("#")
        target = site / (path + "index.html" if path.endswith("/") or not path else path)
        assert target.is_file(), address
        html = target.read_text(encoding="utf-8")
        if anchor and 'http-equiv="refresh"' not in html:  # a renamed page's notice sends readers on
            assert f'id="{anchor}"' in html, address
    assert ask(page, server, "neglect")
    help_panel.wait_for(state="hidden")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_panel_with_no_results_meets_wcag_22_aa(browser, server, scheme):
    """axe on the open search dialog, suggestions showing, in both colour schemes."""
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.goto(server)
    page.locator("input.md-search__input").focus()
    page.keyboard.type("qqzzxxyy")
    page.locator(".scr-search-help").wait_for(state="visible")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async tags => (await axe.run(document.querySelector('.md-search'), {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.html).join(' | '))",
        WCAG_TAGS,
    )
    assert violations == []
    context.close()
