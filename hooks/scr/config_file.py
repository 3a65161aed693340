"""Reading mkdocs.yml as editors write it: a mistake is a message with the line, the column and the fix.

MkDocs reads mkdocs.yml itself before our hook runs, and answers a YAML mistake with the parser's own
words (or, in some tools, a traceback). `make serve`, `make build` and `make lint` read it here first
(scripts/check_config.py), so an editor sees one plain message instead. The same reader refuses a key
written twice, which YAML would otherwise settle silently by keeping the second.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import EditorError

INDENT_FIX = (
    "check the indentation of that line and the one before it: each level is indented two spaces more than the "
    "level above, items of one list or section line up, and text containing a colon goes in double quotes, "
    'for example description: "Referrals: who and how".'
)


class ConfigLoader(yaml.SafeLoader):
    """YAML as MkDocs reads mkdocs.yml: `!ENV [NAME, default]` gives the default; no key may appear twice."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise EditorError(
                    f"mkdocs.yml, line {key_node.start_mark.line + 1}",
                    f"`{key}` is set twice in the same section (lines {seen[key]} and {key_node.start_mark.line + 1}); "
                    "only the second would be used.",
                    f"keep the `{key}` you want and delete the other (or, if both are right, give one another name).",
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _env(loader: ConfigLoader, node):
    value = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    return value[-1] if value else None


def _other_tag(loader: ConfigLoader, suffix: str, node):
    """Tags MkDocs or a plugin understands (`!relative`, `!!python/name:`): read the value under them as plain YAML."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_multi_constructor("!", _other_tag)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _other_tag)


def load(path: str | Path) -> dict:
    """mkdocs.yml as data. Raises EditorError with the line, column and fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise EditorError(
            path.name,
            f"the file is not plain text in UTF-8 (byte {error.start} cannot be read).",
            "save it again as UTF-8 text (in a text editor: Save as, Encoding: UTF-8), not from a word processor.",
        ) from None
    try:
        data = yaml.load(text, Loader=ConfigLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path.name}, line {mark.line + 1}, column {mark.column + 1}" if mark else path.name
        context = ""
        if error.context and error.context_mark and mark and error.context_mark.line != mark.line:
            context = f" (in the section that starts at line {error.context_mark.line + 1})"
        problem = f"this is not valid YAML: {error.problem}{context}."
        raise EditorError(where, problem, INDENT_FIX) from None
    if not isinstance(data, dict):
        raise EditorError(path.name, "the file is not a list of settings.", "restore it from the last good version.")
    return data
