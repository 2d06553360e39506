"""Photos reduced before they are committed: a phone's 4000×3000 picture would swell the repository.

The long side is brought down to `images.MAX_ORIGINAL` (1,600 px), the largest the
site ever shows, in the photo's own format (JPEG stays JPEG, WebP stays WebP), so
that the name the editor sees is the name in the text.  What Pillow cannot read
is left as it came; the build then reports it as it would any other file.
"""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from ..images import MAX_ORIGINAL, save_resized

FORMATS = {"JPEG", "WEBP", "PNG"}


def reduce(data: bytes, long_side: int = MAX_ORIGINAL) -> bytes:
    """The photo at most `long_side` pixels on its long side, upright and without EXIF."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format if im.format in FORMATS else None
            if fmt is None:
                return data
            upright = im.size[::-1] if im.getexif().get(0x0112, 1) in (5, 6, 7, 8) else im.size
            if max(upright) <= long_side:
                return data
            width = round(upright[0] * min(1.0, long_side / max(upright)))
            out = io.BytesIO()
            save_resized(im, max(1, width), fmt, out)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return data
