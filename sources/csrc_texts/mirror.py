"""The CSRC's 证监会令, 证监会公告 and 规章库 as the loopback mirror serves them: the same endpoint and corpus layout as
the penalties' (``sources/csrc/mirror.py``), from this source's corpus (``demo/``)::

    site/<path>                  a CSRC page (a text's page, the 规章库 list page fg.shtml), served at <path>
    lists/{channel_id}.json      every result of that channel's searchList, newest first (paged there)
"""

from __future__ import annotations

from sources.csrc.mirror import Site

__all__ = ["Site"]
