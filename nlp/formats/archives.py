"""An archive a site publishes as an attachment (a .zip of several 公示表) → its members, each read as an attachment of
its own; or refused with the reason, before anything is unpacked that could hurt.

A zip is opened with the standard library. What is refused, and why (each a ``Refused``, quarantined with the reason):

- more than MAX_MEMBERS files, a member over MAX_MEMBER_BYTES or all members over MAX_TOTAL_BYTES unpacked, or a
  member packed more than MAX_RATIO times (a zip bomb: a few kilobytes that unpack to gigabytes). The sizes are
  read from the archive's directory and checked again while unpacking, since the directory can lie;
- a member named with an absolute path or ``..`` (path traversal: nothing is written to disk here, but a name like
  that is never a 公示表 and says the file was made to attack an unpacker);
- an encrypted member (no password is published with it), and an archive inside the archive.

A RAR (``Rar!``) has no reader: no pure-Python RAR decompressor exists on PyPI (``rarfile`` calls an unrar binary),
so it is archived and quarantined with what to do. An OFD (GB/T 33190, a zip holding OFD.xml) is a layout format
regkb has no reader for either: quarantined the same way (nlp/formats/attachments.py tells both from the bytes).

Member names without the zip's UTF-8 flag are GBK on a Chinese Windows (the standard library decodes them as
cp437): they are read as GB18030, so 公示表.xlsx keeps its name.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from nlp.records import Unparseable

MAX_MEMBERS = 200                 # a branch zips a year of 公示表 at most (dozens); hundreds is not a register
MAX_MEMBER_BYTES = 50 * 2**20     # the largest 公示表 attachments published are scanned PDFs of a few MB
MAX_TOTAL_BYTES = 200 * 2**20     # under the document reader's memory limit (pipeline/isolation.py, 2 GB) with room
MAX_RATIO = 200                   # office files pack 5-20 times; past 200 the bytes are made to blow up
ARCHIVE_FORMATS = ("zip",)        # read by unpack(); rar and ofd are told apart but not read

HINT_REFUSED = ("open the file by hand, in a sandbox; if it holds 公示表, save them as files of their own in the "
                "archive and report the source")


class Refused(Unparseable):
    """An archive regkb will not unpack, with the reason and what to do (quarantined)."""


@dataclass(frozen=True)
class Member:
    name: str      # its path inside the archive, as the publisher named it
    data: bytes


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as written: GB18030 when the zip does not flag UTF-8 (a zip made on a Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def unpack(data: bytes, name: str) -> list[Member]:
    """The files of the zip ``data`` (``name``, its URL or file name, only for messages), in the archive's order,
    directories and a Mac's __MACOSX/ copies left out. Refused (with the reason) under the rules above; Unparseable when it is no zip at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise Unparseable(f"{name}: a damaged zip ({error})") from None
    # a zip made on a Mac carries each file's resource fork as __MACOSX/._name: not the publisher's file
    files = [info for info in archive.infolist() if not info.is_dir() and not info.filename.startswith("__MACOSX/")]
    if len(files) > MAX_MEMBERS:
        raise Refused(f"{name}: a zip of {len(files)} files, over the {MAX_MEMBERS} regkb unpacks; {HINT_REFUSED}")
    declared = sum(info.file_size for info in files)
    if declared > MAX_TOTAL_BYTES:
        raise Refused(f"{name}: a zip that unpacks to {declared:,} bytes, over the {MAX_TOTAL_BYTES:,} regkb "
                      f"unpacks (a zip bomb?); {HINT_REFUSED}")
    members, total = [], 0
    for info in files:
        written = member_name(info)
        if _unsafe_name(written):
            raise Refused(f"{name}: a member named {written!r} points outside the archive (path traversal); "
                          f"{HINT_REFUSED}")
        if info.flag_bits & 0x1:
            raise Refused(f"{name}: member {written!r} is encrypted and no password is published; {HINT_REFUSED}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused(f"{name}: member {written!r} unpacks to {info.file_size:,} bytes, over the "
                          f"{MAX_MEMBER_BYTES:,} regkb reads; {HINT_REFUSED}")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise Refused(f"{name}: member {written!r} is packed {info.file_size // info.compress_size} times "
                          f"(a zip bomb: over {MAX_RATIO}); {HINT_REFUSED}")
        try:
            with archive.open(info) as handle:
                body = handle.read(MAX_MEMBER_BYTES + 1)   # the directory's sizes can lie: never read past the limit
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as error:
            raise Unparseable(f"{name}: member {written!r} cannot be unpacked ({error})") from None
        total += len(body)
        if len(body) > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise Refused(f"{name}: member {written!r} unpacks to more than its directory says (a zip bomb); "
                          f"{HINT_REFUSED}")
        if body[:4] == b"PK\x03\x04" and _is_plain_zip(body):
            raise Refused(f"{name}: member {written!r} is itself a zip; {HINT_REFUSED}")
        members.append(Member(written, body))
    if not members:
        raise Unparseable(f"{name}: an empty zip")
    return members


def _is_plain_zip(body: bytes) -> bool:
    """A zip that is not an office file (a .docx or .xlsx is a zip too, and welcome)."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return False
    return not ({"word/document.xml", "xl/workbook.xml", "[Content_Types].xml", "OFD.xml"} & names)
