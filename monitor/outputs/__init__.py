"""Outputs for new relevant articles: an Atom feed file, a JSON lines file and a webhook.

Outputs notify once per cluster and only for ``about`` articles (DESIGN.md, Contracts). The
database decides what was announced (``notifications``), so the outputs are rebuilt or resumed
from it after any crash.
"""

import logging

from monitor.outputs.announcement import Announcement
from monitor.outputs.publishing import PublishReport, publish_outputs, reconcile_jsonl
from monitor.outputs.settings import OutputSettings, output_settings

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Announcement",
    "OutputSettings",
    "PublishReport",
    "output_settings",
    "publish_outputs",
    "reconcile_jsonl",
]
