"""The path one archived document takes through regkb: which of regkb's modules and functions building it touches, how
many calls, and the order of the layers crossed (crawl → archive → extract → store should go forward once).

    .venv/bin/python bench/call_path.py [--source nfra] [--doc-id 9100001]

Builds a database from an archive holding that one demo document (warmed once, so imports and caches are not
counted), tracing every call into regkb's own packages.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.archive import Archive  # noqa: E402
from db.build import build  # noqa: E402
from sources import get  # noqa: E402

PACKAGES = ("regkb", "crawler", "nlp", "sources", "pipeline", "db")


def archive_one(folder: Path, source: str, doc_id: str) -> Path:
    demo = get(source).demo_corpus
    body = next(demo.rglob(f"{doc_id}.*")).read_bytes()
    archive = Archive(folder / "archive")
    fetch = archive.store(body, url=f"http://127.0.0.1/{doc_id}", source=source, kind="document", http_status=200,
                          content_type="application/json", doc_id=doc_id, item_id="4114")
    archive.judge(fetch.fetch_id, "ok")
    archive.close()
    return folder / "archive"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="nfra")
    parser.add_argument("--doc-id", default="9100001")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        archive = archive_one(Path(work), args.source, args.doc_id)
        build(archive, Path(work) / "warm.db")
        modules: Counter[str] = Counter()
        functions: set[tuple[str, str]] = set()
        edges: Counter[tuple[str, str]] = Counter()   # (caller's layer, callee's layer), across layers

        def layer_of(frame) -> str | None:
            while frame is not None:   # the nearest of regkb's frames (a library may call back into regkb)
                name = frame.f_globals.get("__name__", "").split(".")[0]
                if name in PACKAGES:
                    return name
                frame = frame.f_back
            return None

        def profile(frame, event, arg):
            if event != "call":
                return
            name = frame.f_globals.get("__name__", "")
            if name.split(".")[0] not in PACKAGES:
                return
            modules[name] += 1
            functions.add((name, frame.f_code.co_name))
            caller = layer_of(frame.f_back)
            if caller and caller != name.split(".")[0]:
                edges[(caller, name.split(".")[0])] += 1

        sys.setprofile(profile)
        try:
            build(archive, Path(work) / "traced.db")
        finally:
            sys.setprofile(None)
    print(f"one {args.source} document ({args.doc_id}) built:")
    print(f"  {len(modules)} modules, {len(functions)} functions, {sum(modules.values())} calls into regkb")
    order = {layer: rank for rank, layer in enumerate(("regkb", "db", "pipeline", "sources", "crawler", "nlp"))}
    backward = {edge: n for edge, n in edges.items() if order[edge[0]] > order[edge[1]]}
    print("  calls across layers: " + ", ".join(f"{a} → {b} {n}" for (a, b), n in sorted(edges.items())))
    print(f"  calls against the layers' direction: {sum(backward.values())}" +
          (f" ({', '.join(f'{a} → {b}' for a, b in backward)})" if backward else ""))
    print("  by layer: " + ", ".join(f"{layer} {sum(n for m, n in modules.items() if m.split('.')[0] == layer)}"
                                     for layer in PACKAGES if any(m.split('.')[0] == layer for m in modules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
