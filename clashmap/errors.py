"""The errors clashmap reports to a person: one line each, naming the file or setting and the problem.

Every stage raises a `ClashmapError` (or a subclass) for a problem it can name; the CLI prints
`clashmap: <message>` and exits with status 1, the dashboard shows the message, and neither shows a
traceback. This module imports nothing from the project, so any package may raise these errors.
"""

from __future__ import annotations


class ClashmapError(Exception):
    """A problem a person can act on; `str(err)` is the one line to show."""


class ConfigError(ClashmapError):
    """A setting (environment variable or secrets entry) has a value clashmap cannot use."""


class StoreError(ClashmapError):
    """The store cannot be opened, migrated or written (unreachable, read-only, disk full...)."""


class RecordError(ClashmapError):
    """One record of a batch could not be read, extracted or stored; the batch goes on."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
