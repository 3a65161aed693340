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


class EditorErrors(EditorError):
    """The mistakes of several files at once, so that one round of fixes clears them all."""

    def __init__(self, errors: list[EditorError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.path, first.problem, first.fix, first.line)

    @property
    def message(self) -> str:
        return "\n".join(error.message for error in self.errors)
