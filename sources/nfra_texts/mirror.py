"""The NFRA's 政策法规 lists and documents as the loopback mirror serves them: the same endpoints and corpus layout
as the penalties' (``sources/nfra/mirror.py``), from this source's corpus (``demo/``)::

    lists/{927,928,925}.json   every list row of that item, newest first (the mirror pages them)
    documents/{doc_id}.json    the detail endpoint's whole JSON body
"""

from __future__ import annotations

from sources.nfra.mirror import Site

__all__ = ["Site"]
