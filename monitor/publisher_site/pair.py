"""The end-to-end test's two sites served together: the publisher and its syndication partner."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

from monitor.publisher_site.corpus import crawl_test_site, wire_site
from monitor.publisher_site.expected import (
    ExpectedArticle,
    ExpectedFetch,
    expected_fetches,
    expected_outcome,
)
from monitor.publisher_site.model import SiteFaults
from monitor.publisher_site.server import RunningSite, serve_site


class TestSites:
    """The test publisher (``main``) and the agency (``wire``) on two loopback ports."""

    __test__ = False  # not a pytest class, despite the name

    def __init__(
        self,
        templates: Mapping[str, str],
        faults: SiteFaults | None = None,
        wire_template: str = "euronews",
    ) -> None:
        main = crawl_test_site(templates, faults)
        self.main: RunningSite = serve_site(main)
        try:
            self.wire: RunningSite = serve_site(wire_site(main, templates, wire_template))
        except BaseException:
            self.main.stop()
            raise

    def expected_articles(self) -> list[ExpectedArticle]:
        return expected_outcome(self.main.served(), self.wire.served())

    def expected_fetches(self) -> list[ExpectedFetch]:
        return expected_fetches(*self.main.served())

    def stop(self) -> None:
        self.wire.stop()
        self.main.stop()

    def __enter__(self) -> TestSites:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
