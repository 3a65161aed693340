"""mkdocs.yml's `nav:`, walked one way for everything that needs it (page order, where theme pages go)."""

from __future__ import annotations

from collections.abc import Iterator


def _target(item) -> object:
    """What a nav item points at: a path, a URL or a section's list of items."""
    return next(iter(item.values()), None) if isinstance(item, dict) else item


def sections(nav: list | None) -> Iterator[list]:
    """Every list of items in the nav, the top level first, then each section's, depth first."""
    items = nav or []
    yield items
    for item in items:
        children = _target(item)
        if isinstance(children, list):
            yield from sections(children)


def paths(items: list | None) -> list[str]:
    """The paths (or URLs) the items of one list point at, sections left out."""
    return [target for target in map(_target, items or []) if isinstance(target, str)]


def all_paths(nav: list | None) -> list[str]:
    """Every file path in the nav, in the order a reader meets them."""
    found = []
    for item in nav or []:
        children = _target(item)
        found += all_paths(children) if isinstance(children, list) else paths([item])
    return found
