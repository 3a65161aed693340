"""The built site as a visitor meets it: every document reachable, well-formed, private, searchable."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from conftest import (
    DOCS,
    faq_sources,
    first_banner_tel,
    guidance_sources,
    nav_entries,
    page_for,
    plain_page,
    theme_sources,
)
from scr import glossary
from scr.offline import WORRIED_PAGE

PLACEHOLDERS = re.compile(r"\b(lorem ipsum|TODO|TBC|TBA|FIXME|XXX)\b|\[insert", re.I)
VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "this link", "link"}


def nav_links(page) -> set[str]:
    return {a["href"] for a in page.select("nav.md-nav--primary a.md-nav__link[href]")}


def test_every_document_is_in_the_navigation_and_reachable(site, pages):
    home = pages["index.html"]
    reachable = {urlparse(urljoin("/", href)).path for href in nav_links(home)}
    for label, src in nav_entries():
        url = "/" + page_for(src).removesuffix("index.html")
        assert url in reachable, f"{label} ({src}) is not in the navigation"
        assert (site / page_for(src)).is_file(), f"{label} was not built"
    for src in theme_sources():
        assert "/" + page_for(src).removesuffix("index.html") in reachable, f"theme {src} is not in the navigation"


def test_every_page_has_one_h1_a_description_and_uk_english(pages):
    for path, page in pages.items():
        assert page.html["lang"] == "en-GB", path
        assert len(page.select("article h1")) == 1, f"{path} should have exactly one h1"
        meta = page.find("meta", attrs={"name": "description"})
        assert meta and len(meta["content"]) > 20, f"{path} has no meta description"


def test_meta_description_comes_from_front_matter(pages):
    for src, meta in guidance_sources().items():
        page = pages[page_for(src)]
        assert page.find("meta", attrs={"name": "description"})["content"] == meta["description"], src


def test_page_titles_are_unique(pages):
    titles = [page.title.string for page in pages.values()]
    assert len(titles) == len(set(titles)), "two pages share a <title>"


def test_nothing_is_loaded_from_another_origin(site, pages):
    for path, page in pages.items():
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in page.find_all(tag):
                url = element.get(attr)
                if not url or (
                    tag == "link"
                    and "stylesheet" not in element.get("rel", [])
                    and "preconnect" not in element.get("rel", [])
                    and "icon" not in element.get("rel", [])
                ):
                    continue
                assert not urlparse(url).netloc, f"{path}: <{tag}> loads {url} from another origin"
    third_party = re.compile(r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs|googletagmanager")
    for asset in [*site.rglob("*.html"), *site.rglob("*.css")]:
        assert not third_party.search(asset.read_text(encoding="utf-8", errors="ignore")), asset


def test_search_index_has_every_faq_question_and_theme(search_index):
    titles = {entry["title"] for entry in search_index}
    locations = {entry["location"] for entry in search_index}
    for question in faq_sources():
        assert question["question"] in titles, f"FAQ question missing from search: {question['question']}"
        assert f"faq/#{question['id']}" in locations, f"FAQ answer {question['id']} is not its own search result"
    for _src, theme in theme_sources().items():
        assert theme["title"] in titles, f"practice theme missing from search: {theme['title']}"


def test_abbreviations_show_as_tooltips(pages):
    """Each abbreviation in docs/_snippets/abbreviations.md that a page's text uses carries its meaning."""
    source = (DOCS / "_snippets/abbreviations.md").read_text(encoding="utf-8-sig")
    meanings = {a.abbr: a.meaning for a in glossary.parse(source, "docs/_snippets/abbreviations.md")}
    checked = 0
    for path in ("index.html", page_for(plain_page())):
        # the page's own paragraphs (contact cards and the governance block are filled in from mkdocs.yml)
        paragraphs = [
            p
            for p in pages[path].find("article").find_all("p")
            if not p.find_parent("aside") and not p.find_parent(class_="scr-contact")
        ]
        for abbreviation, meaning in meanings.items():
            used = [p for p in paragraphs if re.search(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", p.get_text())]
            if used:
                tooltip = used[0].find("abbr", string=abbreviation)
                assert tooltip is not None and tooltip["title"] == meaning, f"{path}: {abbreviation}"
                checked += 1
    assert checked, "no abbreviation from the glossary is used on the pages checked"


def test_no_vague_link_text_and_no_placeholder_words(pages):
    for path, page in pages.items():
        article = page.find("article")
        for link in article.find_all("a"):
            text = link.get_text(" ", strip=True).lower()
            if link.get("class") and {"headerlink", "md-content__button", "footnote-ref", "footnote-backref"} & set(
                link["class"]
            ):
                continue
            assert text not in VAGUE_LINK_TEXT, f"{path}: link text {text!r} does not say where it goes"
        assert not PLACEHOLDERS.search(article.get_text(" ")), f"{path} has placeholder text"


@pytest.mark.content
def test_source_markdown_has_no_placeholder_words():
    for path in DOCS.rglob("*.md"):
        assert not PLACEHOLDERS.search(path.read_text(encoding="utf-8")), path


def test_home_page_says_scrs_were_replaced_and_where_to_go_now_without_repeating_the_numbers(pages, config):
    home = pages["index.html"]
    text = home.find("article").get_text(" ", strip=True)
    # the dates SCRs were replaced (docs/_snippets/transition-dates.md), each as that list gives it
    dates = re.findall(r"^- \*\*(.+?)\*\*", (DOCS / "_snippets/transition-dates.md").read_text(encoding="utf-8"), re.M)
    assert dates and all(date in text for date in dates), dates
    # The way to help comes first: the banner (999 and every number) before anything else, then the
    # article's first paragraph links to who to call.
    banner = home.select_one(".md-banner .scr-worried")
    assert banner.find_previous(["header", "main", "article"]) is None
    assert banner.select_one(f'a[href="{first_banner_tel(config)}"]')
    first = home.find("article").find("h1").find_next("p", class_=lambda c: c is None)
    assert first.select_one(f'a[href="{page_for(WORRIED_PAGE).removesuffix("index.html")}"]'), first
    # ...and no number is shown twice (the banner, a warning box and contact cards all used to repeat them).
    numbers = [a["href"] for a in home.select('a[href^="tel:"]')]
    assert numbers and len(numbers) == len(set(numbers)), numbers


PROCESS_PAGE = next(src for src, meta in guidance_sources().items() if "process" in meta)


def test_referral_page_shows_the_process_diagram_with_a_text_equivalent(pages):
    page = pages[page_for(PROCESS_PAGE)]
    svg = page.select_one("figure.scr-process svg[role=img]")
    assert svg is not None and svg.find("title") and svg.find("desc")
    steps = DOCS.joinpath(PROCESS_PAGE).read_text(encoding="utf-8")
    import yaml

    process = yaml.safe_load(steps.split("---", 2)[1])["process"]
    drawn = " ".join(svg.get_text(" ").split())
    for item in process:
        assert item["time"] in svg.find("desc").get_text(), item
        # every step is drawn (wrapped over lines, so compare word by word)
        assert all(word in drawn for word in item["step"].split()), item
    numbered = page.select("article ol > li")
    assert len(numbered) >= len(process), "the numbered list (the diagram's text equivalent) is missing"


def test_every_contact_marker_shows_its_number_with_a_working_phone_link(pages, config):
    """Each `<!-- contact: KEY -->` an editor placed becomes a card with that contact's number, tappable."""
    markers = 0
    for src in guidance_sources():
        for key in re.findall(r"<!-- contact: ([\w-]+) -->", (DOCS / src).read_text(encoding="utf-8")):
            contact = config["extra"]["contacts"][key]
            card = pages[page_for(src)].select_one(f'.scr-contact[data-contact="{key}"]')
            assert card is not None, f"{src}: no card for {key}"
            markers += 1
            if "phone" in contact:
                phone = contact["phone"]
                assert phone in card.get_text(), f"{src}: {key}"
                digits = phone.replace(" ", "")
                tel = "tel:" + (digits if len(digits) <= 5 else "+44" + digits[1:])
                assert card.select_one("a[href^='tel:']")["href"] == tel, f"{src}: {key}"
    assert markers, "no page has a contact marker"
