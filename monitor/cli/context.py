"""What every command shares: the settings built at the entry point and the database engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from sqlalchemy import Engine

from monitor.db.engine import open_engine
from monitor.db.migrations import require_current_schema
from monitor.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    verbose: int = 0
    quiet: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, require_schema: bool = True) -> Engine:
        """The engine, opened once; by default refuses a database `monitor init` never set up."""
        if self._engine is None:
            self._engine = open_engine(self.settings.database_url)
        if require_schema:
            require_current_schema(self._engine)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


pass_app = click.make_pass_decorator(AppContext)
