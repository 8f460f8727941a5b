"""Office Open XML packages (.docx, .xlsx) with the same bytes for the same content.

python-docx and openpyxl stamp every zip member with the time of saving (and openpyxl the
document properties too), so two runs of ``analyze`` on the same input would differ. The
package is rewritten here with fixed member times and fixed property dates.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["FIXED_DATE", "deterministic_package"]

#: The date written into every zip member and into docProps/core.xml.
FIXED_DATE = "2000-01-01T00:00:00Z"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(
    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


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
            content = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                content = _CORE_DATES.sub(rf"\g<1>{FIXED_DATE}\g<2>", text).encode("utf-8")
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            stored = member.filename.lower().endswith((".png", ".jpeg", ".jpg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()
