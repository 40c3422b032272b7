"""The PBOC sites as the loopback mirror serves them: every site's pages and attachments at their paths (the paths
of the 37 sites are distinct, so one mirror serves them all), behind a stand-in of their anti-bot wall on demand.

Corpus layout (the demo's is ``demo/``)::

    site/<path>        a page or attachment, served at <path>
    attachments.json   optional {path: file}: an attachment served at <path> from a file of the corpus (the demo's
                       are in attachments/, each once, whatever names the sites publish it under)
    headers.json       optional {path: Content-Type} where a path's type is not the default for its suffix

``challenge=True`` puts a stand-in of the sites' JavaScript challenge in front of their pages: without the cookie it
sets, every PBOC path answers with a page whose script sets that cookie and reloads. It is **a stand-in** (the real
wall's packed script is not reproduced), for testing that a crawl detects a challenge and that --browser passes it.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.mirror import CONTENT_TYPES, HTML, Answer, MirrorRequest, static_file

STANDIN_COOKIE = "regkb_standin_challenge"
# It keeps the real page's visible text and does what the real script does in the end: set a cookie and reload.
STANDIN_CHALLENGE = f"""<!-- regkb test stand-in for an anti-bot JavaScript challenge; not a recorded page -->
<html><head><meta charset="utf-8"></head><body>
<noscript><h1><strong>请开启JavaScript并刷新该页.</strong></h1></noscript>
<script type="text/javascript">
document.cookie = "{STANDIN_COOKIE}=passed; path=/";
window.location.reload();
</script></body></html>""".encode("utf-8")


class Site:
    def __init__(self, corpus: Path, *, challenge: bool = False, **options):
        self.corpus = Path(corpus)
        self.challenge = challenge
        headers, aliases = self.corpus / "headers.json", self.corpus / "attachments.json"
        self.headers = json.loads(headers.read_text(encoding="utf-8")) if headers.exists() else {}
        self.aliases = json.loads(aliases.read_text(encoding="utf-8")) if aliases.exists() else {}

    def answer(self, request: MirrorRequest) -> Answer | None:
        content_type = self.headers.get(request.path)
        if request.path in self.aliases:
            found = static_file(self.corpus, self.aliases[request.path],
                                content_type or CONTENT_TYPES.get(Path(request.path).suffix.lower()))
        else:
            found = static_file(self.corpus / "site", request.path, content_type)
        if found is not None and self.challenge and request.cookies.get(STANDIN_COOKIE) != "passed":
            return 200, HTML, STANDIN_CHALLENGE
        return found
