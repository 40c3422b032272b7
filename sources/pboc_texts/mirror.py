"""The PBOC's 法律法规 lists and pages as the loopback mirror serves them: the penalty sites' mirror
(``sources/pboc/mirror.py``: every page at its path, behind the stand-in of the wall on demand), from this source's
corpus (``demo/``)::

    site/<path>    a list page or a text's page, served at <path> (/tiaofasi/144941/144957/index.html …)
"""

from __future__ import annotations

from sources.pboc.mirror import Site

__all__ = ["Site"]
