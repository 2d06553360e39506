"""The files of cited documents (a decision as PDF, a plan as DOCX): what a document's page links,
with its type and size, so that a reader on a phone knows what the tap will download."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .content.paths import ContentFiles, Refusal
from .content.references import ATTACHMENT_KINDS

MIME = {".pdf": "application/pdf", ".doc": "application/msword",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".odt": "application/vnd.oasis.opendocument.text"}


@dataclass(frozen=True)
class Attachment:
    path: str          # site path, where the build publishes it: 'media/2021/334-qd-qu.pdf'
    size: int          # bytes

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.path)[1].lower()

    @property
    def kind(self) -> str:
        """'PDF', 'Word (DOCX)': what readers call the file."""
        name = ATTACHMENT_KINDS[self.suffix]
        label = self.suffix[1:].upper()
        return name if name == label else f"{name} ({label})"

    @property
    def mime(self) -> str:
        return MIME[self.suffix]

    @property
    def size_label(self) -> str:
        """'245 KB', '1,2 MB' (Vietnamese decimal comma)."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def of(content_dir: Path, path: str, files: Optional[ContentFiles] = None) -> Optional[Attachment]:
    """The attachment at a content path, or None when it cannot be published (the reader said why)."""
    try:
        source = (files or ContentFiles(content_dir)).publishable(path)
        return Attachment(path, source.stat().st_size)
    except (Refusal, OSError):
        return None
