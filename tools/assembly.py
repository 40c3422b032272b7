"""What the demo assemblers share: where the repository and the shared corpus are, the one error they raise when an
input is not what they were written against, and the command line each runs (``--shared``; the counts of what it
wrote, or the error and exit status 1)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "corpus"


class AssemblyError(Exception):
    """An input of the shared corpus is not what the assembler was written against (the message says which)."""


def check_shared(shared: Path) -> None:
    """AssemblyError unless ``shared`` is a folder of the shared corpus."""
    if not shared.is_dir():
        raise AssemblyError(f"no shared corpus at {shared}: pass --shared PATH, the folder holding nfra/, csrc/ and "
                            "pboc/ (../shared/corpus beside the repository by default)")


def command(assemble: Callable[[Path], dict[str, int]], doc: str, argv: list[str] | None = None) -> int:
    """Run ``assemble(shared)`` as a command described by the first paragraph of ``doc``; print what it wrote."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help=f"the shared corpus (default: {DEFAULT_SHARED})")
    args = parser.parse_args(argv)
    try:
        check_shared(args.shared)
        counts = assemble(args.shared)
    except AssemblyError as error:
        print(f"{Path(sys.argv[0]).stem}: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{count} {what}" for what, count in counts.items()))
    return 0
