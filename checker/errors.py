"""Errors meant for people: one line naming the file, the place and what is wrong."""
from __future__ import annotations


class CopydeskError(Exception):
    """Base class: ``str(err)`` is the one line shown to the user."""


class ConfigError(CopydeskError):
    """A configuration file or option is wrong (exit status 2)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Rebuilt from its fields when a --jobs worker sends it back (pickle passes ``args``).
        return (type(self), (self.path, self.message, self.line))


class RuleError(ConfigError):
    """A rule pack, style sheet or gold file has a bad field."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.field = field
        self.field_message = message
        text = f"'{field}' {message}" if field else message
        super().__init__(path, text, line)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.path, self.line, self.field, self.field_message))


class InputError(CopydeskError):
    """An article could not be read or decoded; the run goes on with other files."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.path, self.message))


class UsageError(CopydeskError):
    """A command-line option is wrong (exit status 2); the run stops before any work."""


class ModelError(CopydeskError):
    """No spaCy pipeline could be loaded."""
