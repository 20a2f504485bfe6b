"""Checking Excel workbooks from users before openpyxl sees them; the one table reader
(:func:`koordination.io.table.read_xlsx`) calls :func:`check_xlsx_bytes` on every workbook.

An ``.xlsx`` file is a zip archive of XML parts, and both layers can be turned against a
reader: a zip bomb (a small file that inflates to gigabytes), and XML entity expansion (the
"billion laughs": a few entity definitions that expand to gigabytes). Before openpyxl sees a
file, kn checks

* the file's size on disk, and that it is a zip archive at all;
* every member's uncompressed size as the archive declares it (Python's zipfile never inflates
  a member beyond its declared size, and checks its CRC), the sum of those sizes, the number of
  members and the compression ratio;
* every XML part for a document type declaration (``<!DOCTYPE``/``<!ENTITY``), which no
  spreadsheet program writes and which entity expansion needs;

and openpyxl itself parses with defusedxml (``openpyxl.DEFUSEDXML``), which refuses entities.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from koordination.core.errors import DataError, Problem
from koordination.io import gate

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


#: The first bytes of an OLE2 compound file: an Excel 97-2003 workbook (.xls), or an .xlsx
#: workbook saved with a password (Excel encrypts it inside such a file).
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLD_OR_PROTECTED = ("is an Excel 97-2003 workbook (.xls) or a workbook protected by a password; "
                    "kn reads neither: open it in Excel and save it as an Excel workbook (.xlsx) "
                    "without a password")


def unreadable(err: BaseException) -> str:
    """The one line for a file that is no workbook (the first line of the parser's words)."""
    words = (str(err).strip().splitlines() or [""])[0][:200]
    what = f"{type(err).__name__}: {words}" if words else type(err).__name__
    return f"not a readable xlsx workbook ({what}); save it again as an Excel workbook (.xlsx)"


def workbook_problem(err: BaseException) -> str:
    """What is wrong with a workbook openpyxl could not read, in the user's words: defusedxml
    refusing XML entities, or :func:`unreadable`."""
    cause = err.__cause__ or err
    if type(cause).__name__ in ("EntitiesForbidden", "DTDForbidden",
                                "ExternalReferenceForbidden"):
        return "declares XML entities; refused (possible entity-expansion attack)"
    return unreadable(err)


def check_xlsx_bytes(content: bytes, name: str) -> None:
    """Refuse ``content`` unless it is a zip archive of reasonable, declared sizes whose XML
    parts declare no document type (so no entities). Raises :class:`DataError`."""
    if content.startswith(OLE2):
        raise DataError(Problem(OLD_OR_PROTECTED, name))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        raise DataError(Problem(unreadable(err), name)) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > gate.XLSX_PARTS:
            raise DataError(Problem(f"the workbook has {len(infos)} parts; refused (at most "
                                    f"{gate.XLSX_PARTS})", name))
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if (info.file_size > gate.XLSX_PART_BYTES or total > gate.XLSX_TOTAL_BYTES
                    or (info.file_size > 1024 * 1024 and ratio > gate.XLSX_RATIO)):
                raise DataError(Problem(f"part {info.filename!r} unpacks to {info.file_size} "
                                        f"bytes from {info.compress_size}; refused as a "
                                        "possible zip bomb", name))
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                    RuntimeError, zlib.error):
                raise DataError(Problem(f"part {info.filename!r} is damaged; save the "
                                        "workbook again from Excel", name)) from None
            if _DTD.search(part):
                raise DataError(Problem(
                    f"part {info.filename!r} declares an XML document type or entities, which "
                    "spreadsheet programs never write; refused (possible entity-expansion "
                    "attack)", name))


def require_defusedxml() -> None:
    """Refuse to read any workbook unless openpyxl parses XML with defusedxml."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise DataError("kn reads Excel files only with defusedxml installed; run 'pip install "
                        "defusedxml' and try again")
