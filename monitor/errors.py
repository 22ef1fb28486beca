"""One exception hierarchy for the whole product.

Library code raises these; pipelines turn them into recorded outcomes and the CLI turns them into
one line on stderr and a non-zero exit. Messages name the file, URL or value at fault and say
what the user can do about it.
"""


class MonitorError(Exception):
    """Base of every error the product raises on purpose."""


class ConfigError(MonitorError):
    """The configuration file, an environment variable or a flag holds an unusable value."""


class DatabaseError(MonitorError):
    """The database cannot be reached, or is not at the schema this code expects."""


class InputError(MonitorError):
    """A user-supplied file, line or value cannot be read as what it claims to be."""


class SeedFormatError(InputError):
    """A seed file's name or content does not follow the seed schema."""


class ExtractionError(MonitorError):
    """A page could not be turned into an article; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class QueryError(MonitorError):
    """A search query or filter cannot be understood."""


class NotFoundError(MonitorError):
    """The article, source or file asked for does not exist."""
