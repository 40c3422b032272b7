"""The external programs attachment reading may call, each found on PATH, never downloaded.

- **LibreOffice** (``soffice --headless``, Debian ``libreoffice-writer-nogui``): converts Word 97 ``.doc`` and
  Kingsoft ``.wps`` to ``.docx``, keeping the tables, merged cells included, so one reader serves all three.
  antiword and catdoc were considered: they print a ``.doc`` as text and lose the table structure a 公示表 is
  made of (which cell is a party, which is its sanction), and neither reads ``.wps``.

A missing program is a ``ToolMissing`` error that names the package to install; the document is quarantined with
that reason, not dropped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from nlp.records import Unparseable


class ToolMissing(Unparseable):
    """A program needed to read this format is not installed."""


class ConversionFailed(Unparseable):
    """The program ran and could not read the file."""


INSTALL_HINT = {
    "soffice": "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui)",
}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed: {INSTALL_HINT[name]}")
    return path


def available(name: str) -> bool:
    return shutil.which(name) is not None


def libreoffice_to_docx(data: bytes, suffix: str, *, timeout: float = 120) -> bytes:
    """A Word 97 / Kingsoft WPS document converted to .docx by LibreOffice headless."""
    soffice = tool("soffice")
    with tempfile.TemporaryDirectory(prefix="regkb-lo-") as work:
        folder = Path(work)
        source = folder / f"attachment{suffix}"
        source.write_bytes(data)
        # A private profile: two conversions at once (two build processes) must not share LibreOffice's lock.
        profile = (folder / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout,
                                    env={**os.environ, "HOME": str(folder)})
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice took over {timeout:.0f} s to convert the {suffix} file") from None
        converted = folder / "out" / "attachment.docx"
        if result.returncode != 0 or not converted.exists():
            said = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ConversionFailed(f"LibreOffice could not convert the {suffix} file ({said or 'no output'})")
        return converted.read_bytes()
