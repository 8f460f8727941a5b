"""Office Open XML packages (.docx, .xlsx) with the same bytes for the same content.

python-docx and openpyxl stamp every zip member with the time of saving (and openpyxl the
document properties too), so two runs of ``analyze`` on the same input would differ. The
package is rewritten here with fixed member times and fixed property dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

__all__ = ["FIXED_DATE", "deterministic_package", "docx_package"]

#: The date written into every zip member and into docProps/core.xml.
FIXED_DATE = "2000-01-01T00:00:00Z"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(
    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def _member(name: str, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    """One zip member as written here: fixed time, images stored, the rest deflated, and
    ``docProps/core.xml`` with fixed dates."""
    if name == "docProps/core.xml":
        text = content.decode("utf-8")
        content = _CORE_DATES.sub(rf"\g<1>{FIXED_DATE}\g<2>", text).encode("utf-8")
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    stored = name.lower().endswith((".png", ".jpeg", ".jpg"))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info, content


def deterministic_package(data: bytes) -> bytes:
    """``data`` (a zip package) rewritten with fixed member times and property dates.

    Members keep their order, names, content (except the dates in ``docProps/core.xml``)
    and are deflated, but for images (PNG and JPEG are compressed already: stored as they
    are, which saves the time of deflating them again for nothing).

    Examples
    --------
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("a.txt", "x")
    >>> zipfile.ZipFile(io.BytesIO(deterministic_package(buffer.getvalue()))).infolist()[0].date_time
    (2000, 1, 1, 0, 0, 0)
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(*_member(member.filename, source.read(member.filename)))
    return out.getvalue()


class _Members:
    """What python-docx's package writer writes to (``write(pack_uri, blob)``), written as
    :func:`_member` says."""

    def __init__(self, target: zipfile.ZipFile) -> None:
        self.target = target

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.target.writestr(*_member(pack_uri.membername, blob))


def docx_package(document: Any) -> bytes:
    """The bytes of a python-docx ``Document``: :func:`deterministic_package` of what
    ``document.save`` writes, written directly.

    The parts and their order are python-docx's own (``OpcPackage.save``, through its
    ``PackageWriter``); only the zip members are written here, so the images are not
    deflated by python-docx first and the package not read back and rewritten (together
    about a quarter of the time of writing ``report.docx``).
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        members = _Members(target)
        PackageWriter._write_content_types_stream(members, parts)
        PackageWriter._write_pkg_rels(members, package.rels)
        PackageWriter._write_parts(members, parts)
    return out.getvalue()
