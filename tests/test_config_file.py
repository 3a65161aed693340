"""A mistake in mkdocs.yml is one message with the line, the column and the fix, in `make lint`, `make build` and
`make serve` (each runs scripts/check_config.py first), never a traceback; a key written twice is refused."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, build_site

CHECK = [sys.executable, str(ROOT / "scripts" / "check_config.py")]
TEXT = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def first_nested_key_line(text: str) -> int:
    """The number of the first line indented by four spaces (a key two levels down, such as a contact's name)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if re.match(r"^    [a-z][\w-]*:", line))


def mistake(tmp_path, text: str) -> subprocess.CompletedProcess:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return subprocess.run([*CHECK, str(config)], capture_output=True, text=True)


def test_the_real_settings_file_reads_cleanly():
    assert subprocess.run(CHECK, capture_output=True, text=True).returncode == 0


def test_a_wrongly_indented_line_names_its_line_and_column_and_the_fix(tmp_path):
    line = first_nested_key_line(TEXT)
    lines = TEXT.splitlines()
    lines[line - 1] = lines[line - 1][1:]  # one space short
    result = mistake(tmp_path, "\n".join(lines) + "\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = re.match(r"mkdocs.yml, line (\d+), column (\d+): this is not valid YAML", result.stderr)
    assert found, result.stderr
    assert line <= int(found[1]) <= line + 10, "the message points at the wrong place"
    assert "How to fix it: check the indentation" in result.stderr


def test_a_colon_in_unquoted_text_names_its_line(tmp_path):
    line = next(n for n, row in enumerate(TEXT.splitlines(), 1) if row.startswith("site_name:"))
    result = mistake(tmp_path, TEXT.replace("site_name: ", "site_name: Guidance: ", 1))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"mkdocs.yml, line {line}, column "), result.stderr
    assert "double quotes" in result.stderr


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path):
    line = next(n for n, row in enumerate(TEXT.splitlines(), 1) if row.startswith("site_name:"))
    result = mistake(tmp_path, TEXT.replace("site_name: ", "site_name: Another name\nsite_name: ", 1))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"mkdocs.yml, line {line + 1}: `site_name` is set twice in the same section (lines {line} and {line + 1})"
        in (result.stderr)
    )


def test_a_file_saved_from_a_word_processor_is_a_message(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_bytes(TEXT.encode("cp1252", errors="replace") + "site_description: café’s\n".encode("cp1252"))
    result = subprocess.run([*CHECK, str(config)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not plain text in UTF-8" in result.stderr and "How to fix it: save it again as UTF-8" in result.stderr


@pytest.mark.parametrize("how", ["lint", "build"])
def test_lint_and_the_build_stop_on_a_key_written_twice(project_copy, tmp_path, how):
    config = project_copy / "mkdocs.yml"
    config.write_text(TEXT.replace("\nnav:\n", "\nsite_name: Twice\nnav:\n", 1), encoding="utf-8")
    if how == "lint":
        (project_copy / ".venv").symlink_to(ROOT / ".venv")
        result = subprocess.run(["bash", "scripts/lint.sh"], cwd=project_copy, capture_output=True, text=True)
    else:
        result = build_site(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "`site_name` is set twice in the same section" in output, output
