"""The form definition's sizes and tables: what an editor writes in docs/referrals/referral-form.md gives
boxes of that size and tables of those rows and columns, and a mistake gives its line and a fix."""

from __future__ import annotations

import pytest
from scr import form
from scr.errors import EditorError

FORM = """## 1. The events

- [long text, 12 lines] What happened?
- [long text] Anything else?
- [table, 3 rows] Key events
    - [date] Date
    - [long text] What happened and what was done
    - Agency
"""


def test_sizes_and_tables_are_read_from_the_definition():
    sections = form.parse(FORM, "docs/form.md")
    what, anything, table = form.questions(sections)
    assert (what.type, what.lines) == ("long text", 12)
    assert anything.lines == form.DEFAULT_LINES["long text"]
    assert (table.type, table.rows) == ("table", 3)
    assert table.options == ["Date", "What happened and what was done", "Agency"]
    assert table.column_types == ["date", "long text", "text"]
    rows = table.table_rows()
    assert len(rows) == 3 and [kind for _, kind, _ in rows[0]] == table.column_types
    names = [name for cells in rows for _, _, name in cells]
    assert len(set(names)) == 9 and all(name.startswith(table.name + "--") for name in names)
    assert [q.number for q in (what, anything, table)] == ["1.1", "1.2", "1.3"]
    assert form.continuation_section(sections) is sections[0]


def test_the_reading_version_names_each_column_without_its_type():
    sections = form.parse(FORM, "docs/form.md")
    reading = form.render_reading_version(FORM, sections)
    assert "[date]" not in reading and "[long text]" not in reading
    assert '- Date <span class="scr-form-answer">Column: a date</span>' in reading
    assert '- Key events <span class="scr-form-answer">Answer: a table with these columns</span>' in reading


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (FORM.replace("12 lines", "12 rows"), 3, ["cannot be used", "lines"]),
        (FORM.replace("12 lines", "500 lines"), 3, ["cannot be used", "from 1 to"]),
        (FORM.replace("- [long text] Anything", "- [text, 3 lines] Anything"), 4, ["only [long text] and [table]"]),
        (FORM.replace("[date] Date", "[datum] Date"), 6, ["unknown column type [datum]"]),
        (FORM.replace("    - Agency\n", "    - [text] Date\n"), 5, ["same words"]),
        (FORM.split("    - [date]")[0], 5, ["has no columns"]),
    ],
)
def test_a_wrong_size_or_column_gives_its_line_and_a_fix(broken, line, words):
    with pytest.raises(EditorError) as caught:
        form.parse(broken, "docs/form.md")
    assert caught.value.line == line, caught.value.message
    for word in words:
        assert word in caught.value.message
    assert caught.value.fix.strip() and caught.value.fix not in caught.value.problem
