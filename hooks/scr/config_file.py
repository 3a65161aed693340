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
from .yaml_source import SourceMap, editor_error, source_map


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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise EditorError(
            path.name,
            f"the file is not plain text in UTF-8 (byte {error.start} cannot be read).",
            "save it again as UTF-8 text (in a text editor: Save as, Encoding: UTF-8), not from a word processor.",
        ) from None


def load(path: str | Path) -> dict:
    """mkdocs.yml as data. Raises EditorError with the line, the column and a fix for the kind of mistake."""
    path = Path(path)
    text = _read(path)
    try:
        data = yaml.load(text, Loader=ConfigLoader)
    except yaml.MarkedYAMLError as error:
        raise editor_error(error, text, path.name) from None
    if not isinstance(data, dict):
        raise EditorError(path.name, "the file is not a list of settings.", "restore it from the last good version.")
    return data


def load_with_source(path: str | Path) -> tuple[dict, SourceMap]:
    """mkdocs.yml as data, and where each setting is (its line, and its value as typed) for later messages.
    A file that INHERITs another (mkdocs-offline.yml) looks up the settings it does not set in that one."""
    path = Path(path)
    data = load(path)
    source = source_map(yaml.compose(_read(path), Loader=ConfigLoader), path.name)
    parent = data.get("INHERIT")
    if isinstance(parent, str) and (path.parent / parent).is_file():
        source.parent = load_with_source(path.parent / parent)[1]
    return data, source
