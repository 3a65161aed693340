"""What the build hook adds to the built site: FAQ, themes, governance, register, contacts."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urljoin, urlparse

from conftest import (
    DOCS,
    faq_sources,
    first_banner_tel,
    form_page,
    guidance_sources,
    marker_page,
    mkdocs_config,
    page_for,
    theme_sources,
)
from scr import form, frontmatter, glossary, register
from scr.offline import WORRIED_PAGE
from scr.site import HISTORY_ANCHOR, HISTORY_PAGE


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_faq_json_ld_matches_the_visible_questions_one_for_one(pages):
    page = pages["faq/index.html"]
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "FAQPage"
    shown = []
    for heading in page.select("article h3.faq-question"):
        answer = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            if not sibling.select_one("a.faq-back"):
                answer.append(sibling.get_text())
        shown.append((squash(heading.get_text()), squash(" ".join(answer))))
    in_json = [(q["name"], q["acceptedAnswer"]["text"]) for q in data["mainEntity"]]
    assert len(shown) == len(faq_sources()) > 0
    assert in_json == shown


def test_faq_questions_have_stable_anchors_an_index_and_back_links(pages):
    page = pages["faq/index.html"]
    index_links = {a["href"] for a in page.select("article a[href^='#']")}
    for question in faq_sources():
        heading = page.find(id=question["id"])
        assert heading is not None and heading.name == "h3", question["id"]
        assert squash(heading.get_text()) == question["question"]
        assert f"#{question['id']}" in index_links, f"{question['id']} is missing from the list at the top"
    backs = page.select("a.faq-back[href='#all-questions']")
    assert len(backs) == len(faq_sources()) and page.find(id="all-questions")
    # in the order of `faq_topics` in mkdocs.yml, then by each question's `order`
    topics = list(mkdocs_config()["extra"]["faq_topics"])
    expected = sorted(faq_sources(), key=lambda q: (topics.index(q["topic"]), q["order"], q["id"]))
    assert [h["id"] for h in page.select("h3.faq-question")] == [q["id"] for q in expected]


def test_every_theme_has_a_card_that_links_to_it_with_its_title(pages, site):
    cards = pages["practice-themes/index.html"].select(".scr-theme-cards > ul > li")
    sources = theme_sources()
    assert len(cards) == len(sources) > 0
    ordered = sorted(sources.items(), key=lambda item: item[1]["order"])
    for card, (src, meta) in zip(cards, ordered, strict=True):
        link = card.find("a")
        assert squash(link.get_text(" ")) == meta["title"], "cards must follow the editors' order"
        target = urlparse(urljoin("/practice-themes/", link["href"])).path
        assert (site / target.lstrip("/") / "index.html").is_file(), link["href"]
        assert meta["child_says"] in card.get_text(), src
        assert squash(meta["summary"]) in squash(card.get_text(" ")), src


def test_theme_pages_link_related_themes_and_questions_that_exist(pages, site):
    faq_ids = {q["id"] for q in faq_sources()}
    for src in theme_sources():
        page = pages[page_for(src)]
        related = page.find(id="related-themes")
        assert related is not None, f"{src} has no related themes"
        base = "/" + page_for(src).removesuffix("index.html")
        for link in related.find_next("ul").find_all("a"):
            path = urlparse(urljoin(base, link["href"])).path
            assert (site / path.lstrip("/") / "index.html").is_file(), f"{src}: {link['href']}"
        questions = page.find(id="related-questions")
        if questions:
            for link in questions.find_next("ul").find_all("a"):
                assert link["href"].split("#")[1] in faq_ids


def test_every_guidance_page_shows_its_governance_block(pages):
    for src, meta in guidance_sources().items():
        block = pages[page_for(src)].select_one("aside.scr-governance")
        assert block is not None, f"{src} has no governance block"
        text = squash(block.get_text(" "))
        assert meta["owner"] in text
        assert f'datetime="{meta["last_reviewed"]}"' in str(block) and f'datetime="{meta["review_due"]}"' in str(block)
        review = meta["review_due"]
        assert f"{review.day} {review:%B %Y}" in text


def test_historical_pages_explain_that_scrs_were_replaced(pages):
    historical = [src for src, meta in guidance_sources().items() if meta.get("status") == "historical"]
    assert historical, "no page is marked historical"
    history = page_for(HISTORY_PAGE).removesuffix("index.html")
    # the status note's first sentence (docs/_snippets/status-note.md), as a reader sees it
    note = (DOCS / "_snippets/status-note.md").read_text(encoding="utf-8")
    status_note = squash(re.sub(r"\[([^\]]*)\]\([^)]*\)|\[\^[^\]]*\]", r"\1", note)).split(". ")[0]
    for src in historical:
        article = pages[page_for(src)].find("article")
        link = article.find("a", string="Read what replaced serious case reviews")
        assert link is not None and link["href"].endswith(f"{history}#{HISTORY_ANCHOR}"), src
        assert status_note in squash(article.get_text()), f"{src} lacks the status note"
    current = [src for src, meta in guidance_sources().items() if meta.get("status", "current") == "current"]
    for src in current:
        assert not pages[page_for(src)].find("a", string="Read what replaced serious case reviews"), src


def test_document_register_lists_every_guidance_page(pages):
    table = pages[page_for(register.PATH)].find("article").find("table")
    rows = {squash(tr.find("td").get_text(" ")): tr for tr in table.find_all("tr")[1:]}
    sources = guidance_sources()
    assert len(rows) == len(sources)
    for meta in sources.values():
        row = rows[squash(meta["title"])]
        assert meta["owner"] in row.get_text()
        assert f"{meta['review_due'].day} {meta['review_due']:%B %Y}" in row.get_text()
        assert ("Overdue" in row.get_text()) == (meta["review_due"] < dt.date.today())


def test_contacts_render_where_used_and_equal_the_config(pages, config):
    contacts = config["extra"]["contacts"]
    used = 0
    for path, page in pages.items():
        for card in page.select(".scr-contact[data-contact]"):
            used += 1
            contact = contacts[card["data-contact"]]
            if "phone" in contact:
                assert contact["phone"] in card.get_text(), path
            if "url" in contact:
                assert card.select_one(f"a[href='{contact['url']}']"), path
    markers = sum(
        len(re.findall(r"^\s*<!--\s*contact:", path.read_text(encoding="utf-8"), re.M)) for path in DOCS.rglob("*.md")
    )
    assert used == markers > 0, "a card for every <!-- contact: KEY --> marker"


def test_worried_banner_is_on_every_page_with_its_first_number(pages, config):
    for path, page in pages.items():
        banner = page.select_one(".md-banner .scr-worried")
        assert banner is not None, path
        assert banner.select_one(f"a[href='{first_banner_tel(config)}']"), path
        for key in config["extra"]["worried_banner"]:
            assert config["extra"]["contacts"][key]["phone"] in banner.get_text(), path
        more = banner.find("a", class_="scr-worried__more")["href"]
        assert urljoin("/" + path, more) == "/" + page_for(WORRIED_PAGE).removesuffix("index.html"), path


def test_glossary_page_lists_the_abbreviations(pages):
    table = pages[page_for(marker_page(glossary.MARKER))].find("article").find("table")
    meanings = {
        squash(tr.find_all("td")[0].get_text()): squash(tr.find_all("td")[1].get_text())
        for tr in table.find_all("tr")[1:]
    }
    source = (DOCS / "_snippets/abbreviations.md").read_text(encoding="utf-8-sig")
    abbreviations = glossary.parse(source, "docs/_snippets/abbreviations.md")
    assert abbreviations and meanings == {a.abbr: squash(a.meaning) for a in abbreviations}


def test_referral_form_page_shows_each_question_with_its_answer_type(pages):
    article = pages[page_for(form_page())].find("article")
    hints = article.select(".scr-form-answer")
    source = (DOCS / form_page()).read_text(encoding="utf-8")
    doc = frontmatter.parse(source, f"docs/{form_page()}")
    questions = form.questions(form.parse(doc.body, doc.path, doc.body_line))
    # one hint for each question, and one for each column of a table question
    assert len(hints) == len(questions) + sum(len(q.column_types) for q in questions if q.type == "table") > 0
    assert "[text]" not in article.get_text() and "[yes/no]" not in article.get_text()


def test_every_guidance_page_shows_last_updated_and_an_edit_link(pages, config):
    import subprocess

    from conftest import ROOT

    shallow = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True
    ).stdout.strip()
    for src, meta in guidance_sources().items():
        page = pages[page_for(src)]
        block = page.select_one("aside.scr-governance")
        shown = block.find("dt", string="Last updated").find_next("time")["datetime"]
        git_date = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%cs", "--", f"docs/{src}"], capture_output=True, text=True
        ).stdout.strip()
        expected = git_date if shallow == "false" and git_date else str(meta["last_reviewed"])
        assert shown == expected, src
        edit = page.select_one("a.md-content__button[href]")
        assert edit["href"] == config["edit_uri"] + src, src
