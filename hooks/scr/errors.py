"""One exception for every mistake an editor can make, with the file, line and fix."""

from __future__ import annotations


class EditorError(Exception):
    """A problem in the content that the editor must fix. Shown without a traceback."""

    def __init__(self, path: str, problem: str, fix: str, line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def location(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}, line {self.line}" + (f", column {self.column}" if self.column else "")

    @property
    def message(self) -> str:
        return f"{self.location}: {self.problem}\n  How to fix it: {self.fix}"
