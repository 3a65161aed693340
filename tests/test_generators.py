"""The hook's generators called directly, with good and bad input: every editor mistake names file and fix."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from scr import contacts, diagram, faq, form, frontmatter, glossary, themes
from scr.errors import EditorError

AUDIENCES = {"public": "Public", "practitioners": "Practitioners"}
STATUSES = {"current": "Current", "historical": "Historical"}
TOPICS = {"when": "When", "support": "Support"}
TAGS = {"neglect": "Neglect", "babies": "Babies", "escalation": "Escalation"}

GOOD_PAGE = textwrap.dedent(
    """\
    ---
    title: Making a referral
    description: Who could refer and how.
    owner: Safeguarding Partnership Board business unit
    last_reviewed: 2026-11-26
    review_due: 2027-11-26
    audience: [practitioners]
    status: historical
    ---

    # Making a referral
    """
)


def page(**changes) -> str:
    """GOOD_PAGE with fields replaced (None removes a field)."""
    lines = GOOD_PAGE.splitlines()
    for key, value in changes.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        if value is not None:
            lines.insert(1, f"{key}: {value}")
    return "\n".join(lines) + "\n"


def governance(text: str):
    return frontmatter.check_governance(frontmatter.parse(text, "docs/x.md"), AUDIENCES, STATUSES)


def test_good_front_matter_is_read_with_typed_dates():
    gov = governance(GOOD_PAGE)
    assert gov.review_due == dt.date(2027, 11, 26)
    assert gov.status == "historical" and gov.audience == ["practitioners"]
    assert gov.overdue(dt.date(2027, 11, 27)) and not gov.overdue(dt.date(2027, 11, 26))


@pytest.mark.parametrize(
    ("changes", "line", "words"),
    [
        ({"owner": None}, 1, ["no `owner`", f"owner: {frontmatter._EXAMPLES['owner']}"]),
        ({"review_due": "26/11/2027"}, 2, ["review_due", "year-month-day", "2027-03-31"]),
        ({"last_reviewed": "2026-13-01"}, 2, ["not a real date", "01 to 12"]),
        ({"last_reviewed": "2028-01-01"}, 6, ["is after `review_due`", "later date"]),
        ({"audience": "[everyone]"}, 2, ["unknown audience 'everyone'", "public, practitioners"]),
        ({"status": "archived"}, 2, ["unknown status 'archived'", "current, historical"]),
        ({"reveiw_due": "2027-01-01"}, 2, ["unknown front matter field `reveiw_due`", "did you mean `review_due`"]),
    ],
)
def test_governance_mistakes_name_the_file_line_field_and_fix(changes, line, words):
    with pytest.raises(EditorError) as caught:
        governance(page(**changes))
    error = caught.value
    assert error.path == "docs/x.md" and error.line == line, error.message
    for word in words:
        assert word in error.message


def test_malformed_yaml_gives_the_line_not_a_traceback():
    text = GOOD_PAGE.replace("description: Who could refer and how.", "description: Referrals: who: and how")
    with pytest.raises(EditorError) as caught:
        frontmatter.parse(text, "docs/x.md")
    assert caught.value.line == 3 and "not valid YAML" in caught.value.message
    assert "double quotes" in caught.value.fix


def test_unclosed_front_matter_is_reported():
    with pytest.raises(EditorError, match="not closed"):
        frontmatter.parse("---\ntitle: x\n\n# x\n", "docs/x.md")


def markdown_file(path: str, fields: dict, body: str) -> frontmatter.MarkdownFile:
    """A parsed file with these front matter fields (None leaves a field out)."""
    front = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return frontmatter.parse(f"---\n{front}\n---\n{body}\n", path)


def question(**meta) -> frontmatter.MarkdownFile:
    fields = {"id": "when-do-you-have-an-scr", "question": "When do you have an SCR?", "topic": "when"}
    fields |= {"order": 10, "tags": "[neglect]"} | meta
    return markdown_file("docs/faq/q.md", fields, "When a child died or was seriously harmed.")


def test_faq_question_is_parsed_and_sorted_by_topic_then_order():
    first = faq.parse_question(question(id="b", topic="support", order=1), TOPICS, TAGS)
    second = faq.parse_question(question(id="a", order=20), TOPICS, TAGS)
    third = faq.parse_question(question(id="c", order=10), TOPICS, TAGS)
    assert [q.id for q in faq.collect([first, second, third], TOPICS)] == ["c", "a", "b"]


def test_faq_duplicate_id_names_both_files():
    one = faq.parse_question(question(), TOPICS, TAGS)
    two = faq.FaqQuestion(**{**one.__dict__, "path": "docs/faq/other.md"})
    with pytest.raises(EditorError) as caught:
        faq.collect([one, two], TOPICS)
    assert "docs/faq/other.md" in caught.value.message and "docs/faq/q.md" in caught.value.message
    assert "different id" in caught.value.fix


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (question(topic="later"), ["unknown topic 'later'", "when, support"]),
        (question(tags="[nonsense]"), ["unknown tag 'nonsense'", "extra: tags:"]),
        (question(id="When Do You"), ["lower-case letters"]),
        (question(order="soon"), ["not a whole number"]),
        (question(question=None), ["no `question`"]),
    ],
)
def test_faq_mistakes_are_clear(doc, words):
    with pytest.raises(EditorError) as caught:
        faq.parse_question(doc, TOPICS, TAGS)
    for word in words:
        assert word in caught.value.message


def test_faq_empty_answer_fails():
    doc = frontmatter.parse(
        "---\nid: a\nquestion: Q?\ntopic: when\norder: 1\ntags: [neglect]\n---\n\n<!-- nothing yet -->\n",
        "docs/faq/a.md",
    )
    with pytest.raises(EditorError, match="the answer is empty"):
        faq.parse_question(doc, TOPICS, TAGS)


def test_faq_page_needs_its_marker_and_json_ld_matches_pairs():
    q = faq.parse_question(question(), TOPICS, TAGS)
    with pytest.raises(EditorError, match="faq:index"):
        faq.render_page("# FAQ\n", [q], TOPICS, "docs/faq/index.md")
    markdown = faq.render_page("# FAQ\n\n<!-- faq:index -->\n", [q], TOPICS, "docs/faq/index.md")
    assert "### When do you have an SCR? {: #when-do-you-have-an-scr .faq-question }" in markdown
    html = (
        '<h3 class="faq-question" id="a">Q one?</h3><p>Answer <abbr>one</abbr>.</p>\n<ul>\n<li>two</li>\n</ul>'
        '<p><a class="faq-back" href="#all-questions">Back</a></p><h3 class="faq-question" id="b">Q two?</h3><p>B</p>'
    )
    assert faq.visible_pairs(html) == [("Q one?", "Answer one. two"), ("Q two?", "B")]
    assert "</script" not in faq.json_ld([("Q?", "</script><script>alert(1)</script>")])


def theme_doc(**meta) -> frontmatter.MarkdownFile:
    fields = {"title": "Babies cannot tell you", "summary": "Babies are most at risk.", "child_says": "I cannot."}
    fields |= {"order": 80, "tags": "[babies]"} | meta
    return markdown_file("docs/practice-themes/babies.md", fields, "# T")


def test_unknown_theme_tag_names_file_line_and_list():
    with pytest.raises(EditorError) as caught:
        themes.parse_theme(theme_doc(tags="[babies, infants]"), TAGS)
    assert caught.value.path == "docs/practice-themes/babies.md" and caught.value.line == 6
    assert "unknown tag 'infants'" in caught.value.message and "mkdocs.yml" in caught.value.fix


def test_theme_needs_its_child_line():
    with pytest.raises(EditorError, match="no `child_says`"):
        themes.parse_theme(theme_doc(child_says=None), TAGS)


def test_related_themes_and_questions_share_tags_and_exclude_self():
    babies = themes.parse_theme(theme_doc(tags="[babies, neglect]"), TAGS)
    neglect = themes.Theme("practice-themes/neglect.md", "Neglect", "s", "c", 70, ("neglect",))
    other = themes.Theme("practice-themes/escalate.md", "Escalate", "s", "c", 10, ("escalation",))
    q = faq.parse_question(question(tags="[babies]"), TOPICS, TAGS)
    near_themes, near_questions = themes.related(babies, [babies, neglect, other], [q])
    assert near_themes == [neglect] and near_questions == [q]
    markdown = themes.add_related("# B\n\ntext\n\n## Sources\n\n- s\n", babies, [babies, neglect, other], [q])
    assert markdown.index("## Related themes") < markdown.index("## Sources")
    assert "[When do you have an SCR?](../faq/index.md#when-do-you-have-an-scr)" in markdown


def test_new_theme_joins_the_navigation_in_order():
    nav = [{"Home": "index.md"}, {"Practice themes": ["practice-themes/index.md"]}]
    late = themes.Theme("practice-themes/z.md", "Zed", "s", "c", 90, ("babies",))
    early = themes.Theme("practice-themes/a.md", "Aye", "s", "c", 10, ("babies",))
    assert themes.add_to_nav(nav, [late, early])
    assert nav[1]["Practice themes"][1:] == [{"Aye": "practice-themes/a.md"}, {"Zed": "practice-themes/z.md"}]


# Test data of its own (Ofcom's numbers for drama), not the site's contacts: an editor may change those.
CONTACTS = contacts.load(
    {
        "business-manager": {"name": "LSCB Business Manager", "phone": "0113 496 0001"},
        "emergency": {"name": "Police", "phone": "999"},
    }
)


def test_contact_marker_renders_a_tel_link():
    html = contacts.render_markers("Text\n\n<!-- contact: business-manager -->\n", "docs/a.md", CONTACTS)
    assert 'href="tel:+441134960001"' in html and "0113 496 0001" in html
    assert 'href="tel:999"' in contacts.render_markers("<!-- contact: emergency -->", "docs/a.md", CONTACTS)


def test_unknown_contact_names_file_and_line():
    with pytest.raises(EditorError) as caught:
        contacts.render_markers("a\n\nb\n<!-- contact: chair -->\n", "docs/a.md", CONTACTS, first_line=10)
    assert caught.value.line == 13 and "unknown contact 'chair'" in caught.value.message
    assert "business-manager" in caught.value.fix


def test_contact_marker_inside_text_is_rejected():
    with pytest.raises(EditorError, match="not on a line of its own"):
        contacts.render_markers("Call <!-- contact: emergency --> now\n", "docs/a.md", CONTACTS)


def test_bad_phone_number_in_config_is_rejected():
    with pytest.raises(EditorError, match="not a UK phone number"):
        contacts.load({"x": {"name": "X", "phone": "call us"}})


def test_glossary_reads_abbreviations_and_rejects_other_lines():
    items = glossary.parse("<!-- note\n-->\n*[SCR]: Serious Case Review\n*[DSL]: Designated Safeguarding Lead\n", "a")
    assert [(i.abbr, i.meaning) for i in items] == [
        ("DSL", "Designated Safeguarding Lead"),
        ("SCR", "Serious Case Review"),
    ]
    with pytest.raises(EditorError) as caught:
        glossary.parse("*[SCR]: Serious Case Review\nSCR - Serious Case Review\n", "a")
    assert caught.value.line == 2


FORM = textwrap.dedent(
    """\
    Intro.

    ## 1. About you

    - [text] Your name
    - [date] Date of referral
    - [choose one] Which criterion is met?
        - The child died
        - The child was seriously harmed

    ## 2. The child

    - [yes/no] Was the child on a child protection plan?
    - [long text] Who cared for the child?

    ## Sources

    - A source that is not a question.
    """
)


def test_form_source_is_parsed_into_numbered_sections_and_typed_questions():
    sections = form.parse(FORM, "docs/form.md")
    assert [(s.number, s.title) for s in sections] == [(1, "About you"), (2, "The child")]
    kinds = [(q.type, q.text) for q in form.questions(sections)]
    assert kinds[2] == ("choose one", "Which criterion is met?")
    assert form.questions(sections)[2].options == ["The child died", "The child was seriously harmed"]
    assert form.questions(sections)[0].name == "s1-your-name"
    reading = form.render_reading_version(FORM, sections)
    assert '- Your name <span class="scr-form-answer">Answer: a short answer</span>' in reading


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (FORM.replace("- [date] Date", "- [datum] Date"), 6, ["unknown answer type [datum]", "[date]"]),
        (FORM.replace("- [text] Your name", "- Your name"), 5, ["not a form question", "[text]"]),
        (FORM.replace("    - The child died\n", ""), 7, ["fewer than two options"]),
        (FORM.replace("- [long text] Who", "- [long text] Who\n    - An option\n- [text] X"), 15, ["does not belong"]),
        (FORM.replace("    - The child died", "  - The child died"), 8, ["four spaces"]),
        (FORM.replace("## 2. The child", "## 3. The child"), 11, ["should be numbered 2"]),
        (FORM.replace("Date of referral", "Your name"), 6, ["already on line 5"]),
    ],
)
def test_malformed_form_fields_give_line_and_fix(broken, line, words):
    with pytest.raises(EditorError) as caught:
        form.parse(broken, "docs/form.md")
    assert caught.value.line == line, caught.value.message
    for word in words:
        assert word in caught.value.message
    # The fix says what to write instead: it is not empty and does not just repeat the problem.
    assert caught.value.fix.strip() and caught.value.fix not in caught.value.problem


def test_process_diagram_has_title_description_and_every_step():
    doc = frontmatter.parse(
        "---\nprocess:\n  - step: Notify\n    time: Within 5 working days\n  - step: Decide\n    time: 1 month\n---\n",
        "docs/r.md",
    )
    svg = diagram.render_svg(diagram.parse_steps(doc), "Process")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="scr-process__box"') == 2 and "Within 5 working days" in svg
    bad = frontmatter.parse("---\nprocess:\n  - step: Only one\n---\n", "docs/r.md")
    with pytest.raises(EditorError, match="at least two steps"):
        diagram.parse_steps(bad)


def test_last_updated_comes_from_the_last_commit_that_touched_each_page(tmp_path):
    import subprocess

    from scr import history

    def git(*args, date="2026-01-05T12:00:00"):
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, env=env)

    assert history.last_commit_dates(tmp_path) == {}, "outside git there is no history, and no failure"
    git("init", "-q")
    git("config", "user.email", "editor@example.invalid")
    git("config", "user.name", "Editor")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.md").write_text("a")
    (tmp_path / "docs/b.md").write_text("b")
    git("add", ".")
    git("commit", "-qm", "first", date="2026-01-05T12:00:00")
    (tmp_path / "docs/b.md").write_text("b changed")
    git("commit", "-qam", "second", date="2026-03-09T12:00:00")
    assert history.last_commit_dates(tmp_path) == {"a.md": dt.date(2026, 1, 5), "b.md": dt.date(2026, 3, 9)}
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(shallow)], check=True)
    assert history.last_commit_dates(shallow) == {}, "a shallow clone would date every page to its one commit"


def test_table_of_contents_toggle_without_a_label_is_removed_and_one_with_a_label_is_kept():
    from scr import security

    toggle = '<li>\n  <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n  <a href="./">Register</a>'
    assert 'id="__toc"' not in security.fix_material_markup(toggle)
    labelled = toggle + '<label class="md-nav__link" for="__toc">Register</label>'
    assert 'id="__toc"' in security.fix_material_markup(labelled)


def test_offline_404_links_become_relative_to_the_site_root_folder():
    from scr import offline

    html = (
        '<a href="/scr/.">Home</a><a href="/scr/faq/index.html#x">FAQ</a><script src="/scr/js/a.js"></script>'
        '<a href="https://example.org/scr/x">out</a>{"base": "/scr/", "search": "/scr/w.js"}'
        '__md_scope=new URL("/scr/",location)'
    )
    result = offline.relative_links(html, "/scr")
    assert '<a href="index.html">Home</a>' in result
    assert 'href="faq/index.html#x"' in result and 'src="js/a.js"' in result
    assert 'href="https://example.org/scr/x"' in result
    assert '"base": "."' in result and '"search": "w.js"' in result and 'new URL(".",location)' in result


def test_banner_needs_the_worried_about_a_child_page():
    from scr import offline

    class NoFiles:
        def get_file_from_path(self, path):
            return None

    with pytest.raises(EditorError) as error:
        offline.worried_page(NoFiles())
    assert f"docs/{offline.WORRIED_PAGE}" in error.value.message and "restore it" in error.value.message
