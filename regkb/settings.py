"""Where regkb keeps its files. One module; every path can be overridden by an environment variable.

``REGKB_DATA_DIR`` moves everything at once (tests point it at a temporary folder); the others move one piece.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETTE_DIR = PROJECT_ROOT / "datasette"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    archive_dir: Path
    db_path: Path
    extracted_path: Path
    demo_archive_dir: Path
    redactions_path: Path


def paths() -> Paths:
    """Resolve paths now, from the environment as it is at call time (tests change it)."""
    data_dir = Path(os.environ.get("REGKB_DATA_DIR", "data"))
    return Paths(
        data_dir=data_dir,
        archive_dir=Path(os.environ.get("REGKB_ARCHIVE_DIR", data_dir / "archive")),
        db_path=Path(os.environ.get("REGKB_DB", data_dir / "regkb.db")),
        extracted_path=Path(os.environ.get("REGKB_EXTRACTED", data_dir / "extracted.jsonl")),
        # The demo's crawl of the bundled mirror is kept apart from a crawl of the real site.
        demo_archive_dir=data_dir / "demo" / "archive",
        # names removed at a person's request, applied at every build (db/redact.py)
        redactions_path=Path(os.environ.get("REGKB_REDACTIONS", data_dir / "redactions.yaml")),
    )
