"""monitor: follow press coverage of Mistral AI, one clean entry per story.

The package is a library first; ``monitor.cli`` is a thin shell over it.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
