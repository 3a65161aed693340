#!/usr/bin/env bash
# `make lint`: the quick checks, in a few seconds, without building the site.
#   1. Markdown style     pymarkdown, configured in .pymarkdown.json (see the notes below)
#   2. Spelling           codespell: typos everywhere (.codespellrc), and UK spelling in the
#                         Markdown; right words it flags go in .codespell-ignore-words
#   3. Python             ruff check and ruff format --check (settings in pyproject.toml)
#   4. Front matter       scripts/check_front_matter.py, the build's own schema check
#   5. Figures            scripts/check_figures.py: every figure in docs/ has a source in its
#                         paragraph, or is on `figures_allow_list` in mkdocs.yml
# Every check runs; the script fails at the end if any of them failed.
# Run from anywhere, once the test tools are installed (`make setup-test`).
#
# Why .pymarkdown.json differs from pymarkdown's defaults (Material and pymdown syntax):
#   front-matter extension on   pages start with YAML front matter.
#   md013 off                   no line-length limit: editors write a paragraph per line.
#   md009 br_spaces 0           no trailing spaces at all, not even two for a line break.
#   md007 indent 4              Python-Markdown nests lists by four spaces (form options).
#   md046 off                   a four-space indented block is the body of an admonition or a
#                               definition, never code: all code is fenced (md040, md048 apply).
#   md025/md041 "question"      the page's `# ` heading is in the Markdown, not `title`; an FAQ
#                               question file has no heading: its `question` becomes one.
#   _snippets/ without md041    the abbreviations file is appended to pages, so has no heading.
# Footnotes, definition lists, abbreviations, attribute lists and HTML comment markers need
# nothing: pymarkdown reads them as text, and every other rule stays on.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
for tool in pymarkdown codespell ruff python; do
  if [ ! -x "$BIN/$tool" ]; then
    echo "lint: $BIN/$tool is missing. Run 'make setup-test' first." >&2
    exit 2
  fi
done

# check NAME HINT COMMAND...: run one check; on failure, print the hint (if any) and carry on.
failed=()
check() {
  local name=$1 hint=$2
  shift 2
  "$@" && return 0
  failed+=("$name")
  [ -z "$hint" ] || echo "  $hint" >&2
}

# 0. mkdocs.yml can be read (a YAML mistake is one message with its line and column; the rest would fail on it).
if ! "$BIN/python" scripts/check_config.py; then
  echo "lint: failed: mkdocs.yml" >&2
  exit 1
fi

# 1. Markdown style.
markdown=(docs README.md CONTRIBUTING.md)
check "Markdown style" "" "$BIN/pymarkdown" --strict-config --config .pymarkdown.json \
  scan --recurse --exclude 'docs/_snippets/*' "${markdown[@]}"
check "Markdown style (snippets)" "" "$BIN/pymarkdown" --strict-config --config .pymarkdown.json \
  --disable-rules md041 scan --recurse docs/_snippets

# 2. Spelling: typos in content and code, with the settings in .codespellrc ...
check "Spelling" "If a flagged word is right, add it to .codespell-ignore-words." \
  "$BIN/codespell" "${markdown[@]}" hooks tests
# ... and UK spelling in the Markdown: codespell's own British-to-American list, turned round.
uk_dictionary=$(mktemp)
trap 'rm -f "$uk_dictionary"' EXIT
gb_to_us=$("$BIN/python" -c 'import codespell_lib, pathlib
print(pathlib.Path(codespell_lib.__file__).parent / "data" / "dictionary_en-GB_to_en-US.txt")')
awk -F'->' 'NF == 2 { print $2 "->" $1 }' "$gb_to_us" >"$uk_dictionary"
mapfile -t markdown_files < <(find docs -name '*.md' | sort)
check "UK spelling" "Use UK spelling. If the American form is right too (a practice, a story), add it to .codespell-ignore-words." \
  "$BIN/codespell" --dictionary "$uk_dictionary" "${markdown_files[@]}" README.md CONTRIBUTING.md

# 3. Python style, for the folders that exist.
python_dirs=()
for dir in hooks tests benchmarks scripts; do
  if [ -d "$dir" ]; then python_dirs+=("$dir"); fi
done
check "ruff check" "" "$BIN/ruff" check --quiet "${python_dirs[@]}"
check "ruff format" "Run .venv/bin/ruff format on the files listed." "$BIN/ruff" format --check --quiet "${python_dirs[@]}"

# 4. The front matter schema.
check "Front matter" "" "$BIN/python" scripts/check_front_matter.py

# 5. Every figure carries its source.
check "Figures" "See CONTRIBUTING.md, 'Figures and their sources'." "$BIN/python" scripts/check_figures.py

if [ ${#failed[@]} -gt 0 ]; then
  joined=$(printf ', %s' "${failed[@]}")
  echo "lint: failed: ${joined:2}" >&2
  exit 1
fi
echo "lint: all checks passed"
