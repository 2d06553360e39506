"""Photos for small screens: resized copies made at build time and kept between builds.

A ward's editor uploads a 4000-pixel photo from a phone; a reader on a cheap
phone needs 640 pixels of it.  Each photo that a bulletin shows (its cover, and
images under the site in its body) gets copies at a few widths, made once with
Pillow and cached under `.cache/images/` by the hash of the source and the
width, so a rebuild only hashes.  Every <img> then carries the photo's size
(no layout shift), `srcset`/`sizes` (the browser picks the copy) and lazy
loading.  The copies have no EXIF: a phone's GPS position does not travel on.

Photos that come in from outside (the web editor's uploads, `bantin import`) are
first reduced once by `reduce_upload`, so that the originals kept in git are no
larger than the largest size a page offers.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from markdown.treeprocessors import Treeprocessor
from PIL import Image, ImageOps, UnidentifiedImageError

from .cache import check, digest


WIDTHS = (320, 640, 960)
# Originals up to this width are offered to wide screens as they are; wider ones are not.
MAX_ORIGINAL = 1600
RASTER = {".jpg", ".jpeg", ".png", ".webp"}     # resized; a GIF (perhaps animated) is shown as it is
SHOWN = RASTER | {".gif"}
QUALITY = 78
UPLOAD_QUALITY = 85      # for the kept original, which the copies are made from in turn
UPLOAD_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
VERSION = "1"   # bump when the way copies are made changes: old cache entries are then unused
# The rendered width of a photo in a bulletin's body (see .bt-article in bantin.css).
BODY_SIZES = "(min-width: 60em) 44rem, calc(100vw - 2rem)"
_ROTATED = {5, 6, 7, 8}   # EXIF orientations that swap width and height


@dataclass(frozen=True)
class Copy:
    width: int
    height: int
    path: str            # site path, e.g. 'media/2023/a-640w.jpg'
    file: Path           # the cached file


@dataclass
class Photo:
    """One source photo: its displayed size and its copies, smallest first."""

    path: str            # site path of the original, e.g. 'media/2023/a.jpg'
    source: Path
    width: int
    height: int
    format: str          # 'JPEG', 'PNG' or 'WEBP': what the copies are written as
    copies: list[Copy] = field(default_factory=list)

    @property
    def candidates(self) -> list[tuple[str, int]]:
        """(site path, width) the browser may choose from."""
        out = [(c.path, c.width) for c in self.copies]
        if not self.copies or self.width <= MAX_ORIGINAL:
            out.append((self.path, self.width))
        return out

    def shown(self) -> tuple:
        """What a page shows of the photo: its size, its fallback and the copies to choose from
        (not where the copies are kept, which a build without a cache makes anew)."""
        return self.width, self.height, self.fallback, tuple(self.candidates)

    def __fingerprint__(self) -> str:
        return digest(self.path, *self.shown())

    @property
    def fallback(self) -> str:
        """`src` for browsers without srcset: the largest copy, or the original if it is small."""
        return self.copies[-1].path if self.copies else self.path


def _copy_suffix(fmt: str) -> str:
    return {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[fmt]


class Photos:
    """The photos of one build, keyed by site path; `files()` lists the copies to publish."""

    def __init__(self, content_dir: Path, cache_dir: Optional[Path] = None, base_path: str = "/",
                 widths: tuple[int, ...] = WIDTHS):
        self.content_dir = Path(content_dir)
        # Copies are kept between builds in `cache_dir`; without one (no cache, a read-only
        # checkout) they are made in a temporary folder that `close` removes.
        self.cache_dir = Path(cache_dir) if cache_dir else None
        # Removed by close(), or when the Photos object is gone or the process ends, whichever is first.
        self._temporary: Optional[tempfile.TemporaryDirectory] = None
        self.base_path = base_path
        self.widths = widths
        self.photos: dict[str, Optional[Photo]] = {}
        self.made = 0        # copies made by this build (the rest came from the cache)
        self._hashes: dict[str, list] = {}
        self._hashes_changed = False
        self._made = False   # after make(), a photo seen for the first time is shown as it is
        self.recording: Optional[list[str]] = None   # when a list, the photos asked for go in it

    # -- what a page refers to

    def site_path(self, src: str) -> Optional[str]:
        """'/media/a.jpg' or '<base>media/a.jpg' -> 'media/a.jpg'; None for another host or a data: URL."""
        if not src or "://" in src or src.startswith(("//", "data:")):
            return None
        src = unquote(src.split("#", 1)[0].split("?", 1)[0])
        if src.startswith(self.base_path):
            return src[len(self.base_path):]
        return src.lstrip("/") if src.startswith("/") else None

    def get(self, src: str) -> Optional[Photo]:
        """The photo at a site path (as an editor writes it), measured on first use; None if not ours."""
        path = self.site_path(src)
        if path is None:
            return None
        if self.recording is not None:
            self.recording.append(path)
        return self._photo(path)

    def _photo(self, path: str) -> Optional[Photo]:
        if path not in self.photos:
            self.photos[path] = self._measure(path)
        return self.photos[path]

    def at(self, path: str) -> Optional[Photo]:
        """The photo at a content path ('media/2022/a.jpg'), measured on first use; None if unreadable."""
        return self._photo(path)

    def signature(self, path: str) -> Optional[tuple]:
        """What a page's HTML shows of a photo (size and copies): equal signatures, equal HTML."""
        photo = self._photo(path)
        return photo.shown() if photo is not None else None

    def _measure(self, path: str) -> Optional[Photo]:
        source = self.content_dir / path
        if source.suffix.lower() not in SHOWN or not source.is_file():
            return None
        try:
            with Image.open(source) as im:
                width, height = im.size
                if im.getexif().get(0x0112) in _ROTATED:
                    width, height = height, width
                fmt = target_format(im)
        except (OSError, ValueError, Image.DecompressionBombError):
            return None          # the reader's check names the bulletin and the line (build.unreadable_photos)
        photo = Photo(path, source, width, height, fmt)
        if source.suffix.lower() not in RASTER:
            return photo
        stem, _ = os.path.splitext(path)
        for w in self.widths:
            if w < width and not self._made:
                h = max(1, round(height * w / width))
                photo.copies.append(Copy(w, h, f"{stem}-{w}w{_copy_suffix(fmt)}", Path()))
        return photo

    def url(self, path: str) -> str:
        return self.base_path + path

    def attributes(self, src: str, sizes: str, lazy: bool = True) -> dict[str, str]:
        """<img> attributes for a photo: src, srcset, sizes, width, height, loading, decoding."""
        attrs = {"src": src}
        if lazy:
            attrs["loading"] = "lazy"
        photo = self.get(src)
        if photo is None:     # not a photo of this site: shown as it is
            return attrs
        attrs.update(src=self.url(photo.fallback), width=str(photo.width), height=str(photo.height),
                     decoding="async")
        if len(photo.candidates) > 1:
            attrs["srcset"] = ", ".join(f"{self.url(p)} {w}w" for p, w in photo.candidates)
            attrs["sizes"] = sizes
        return attrs

    # -- making the copies

    def make(self) -> None:
        """Resized copies of every photo used so far, from the cache when the source is unchanged."""
        try:
            if self.cache_dir is None:
                raise OSError("no cache")
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            probe = self.cache_dir / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError:
            self._temporary = self._temporary or tempfile.TemporaryDirectory(prefix="bantin-images-",
                                                                             ignore_cleanup_errors=True)
            self.cache_dir = Path(self._temporary.name)
        self._load_hashes()
        for photo in self.photos.values():
            if photo is None or not photo.copies:
                continue
            source_digest = self._hash(photo)
            made = []
            for c in photo.copies:
                cached = self.cache_dir / f"{source_digest}-{VERSION}-{c.width}{_copy_suffix(photo.format)}"
                if not _intact(cached):
                    self._resize(photo, c.width, cached)
                    self.made += 1
                made.append(Copy(c.width, c.height, c.path, cached))
            photo.copies = made
        self._save_hashes()
        self._made = True

    def close(self) -> None:
        """Removes the copies' temporary folder, once the site holds them."""
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def files(self) -> list[tuple[str, Path]]:
        """(site path, file) of every copy, for the build to publish."""
        return [(c.path, c.file) for p in self.photos.values() if p for c in p.copies if c.file.is_file()]

    def _resize(self, photo: Photo, width: int, dest: Path) -> None:
        tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
        with Image.open(photo.source) as im:
            save_resized(im, width, photo.format, tmp)
        os.replace(tmp, dest)   # another build reading the cache never sees half a file
        _sidecar(dest).write_bytes(check(dest.name.encode(), dest.read_bytes()))

    # -- source hashes, remembered by size and modification time so that a rebuild reads nothing

    def _index(self) -> Path:
        return self.cache_dir / "index.json"

    def _load_hashes(self) -> None:
        try:
            self._hashes = json.loads(self._index().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._hashes = {}

    def _save_hashes(self) -> None:
        if not self._hashes_changed:
            return
        tmp = self._index().with_name(f"index.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self._hashes, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self._index())

    def _hash(self, photo: Photo) -> str:
        st = photo.source.stat()
        key = str(photo.source.resolve())
        known = self._hashes.get(key)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            return known[2]
        found = hashlib.sha256(photo.source.read_bytes()).hexdigest()[:24]
        self._hashes[key] = [st.st_size, st.st_mtime_ns, found]
        self._hashes_changed = True
        return found

    # -- bulletin bodies

    def processor(self, md) -> Treeprocessor:
        """A Markdown tree processor giving body photos their size, copies and lazy loading."""
        return _BodyImages(md, self)


def _sidecar(copy: Path) -> Path:
    return copy.with_name(copy.name + ".check")


def _intact(copy: Path) -> bool:
    """A cached copy is used only as it was made: a damaged or replaced one is made again."""
    try:
        return _sidecar(copy).read_bytes() == check(copy.name.encode(), copy.read_bytes())
    except OSError:
        return False


def save_resized(im: Image.Image, width: int, fmt: str, target) -> None:
    """`im` upright, `width` pixels wide, without EXIF, saved as `fmt` to a path or file object."""
    im = ImageOps.exif_transpose(im)
    if fmt == "JPEG" and im.mode != "RGB":
        im = im.convert("RGB")
    if width != im.width:
        height = max(1, round(im.height * width / im.width))
        im = im.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    options = {"JPEG": dict(quality=QUALITY, optimize=True, progressive=True),
               "WEBP": dict(quality=QUALITY, method=4),
               "PNG": dict(optimize=True)}[fmt]
    im.save(target, fmt, **options)


def target_format(im: Image.Image) -> str:
    """JPEG for photos; PNG keeps transparency; WebP stays WebP."""
    if im.format == "WEBP":
        return "WEBP"
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    return "PNG" if has_alpha else "JPEG"


class _BodyImages(Treeprocessor):
    def __init__(self, md, photos: Photos):
        super().__init__(md)
        self.photos = photos

    def run(self, root: etree.Element) -> None:
        for img in root.iter("img"):
            for name, value in self.photos.attributes(img.get("src", ""), BODY_SIZES).items():
                img.set(name, value)


def reduce_upload(source: bytes | str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Keep a photo from outside as the site keeps photos: upright, at most MAX_ORIGINAL pixels
    on its long side, without EXIF (no GPS position), as JPEG or WebP by the suffix of `dest`.

    Raises ValueError, worded for a report, when `source` is not a photo Pillow can read."""
    dest = Path(dest)
    fmt = UPLOAD_FORMATS.get(dest.suffix.lower())
    if fmt is None:
        raise ValueError(f"{dest.name}: ảnh chỉ ghi dạng .jpg hoặc .webp")
    tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as opened:
            opened.load()
            im = ImageOps.exif_transpose(opened)
            has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
            if fmt == "JPEG" and has_alpha:      # JPEG has no transparency: lay the photo on white
                rgba = im.convert("RGBA")
                im = Image.new("RGB", rgba.size, "white")
                im.paste(rgba, mask=rgba.getchannel("A"))
            elif im.mode not in (("RGB",) if fmt == "JPEG" else ("RGB", "RGBA")):
                im = im.convert("RGBA" if has_alpha else "RGB")
            im.thumbnail((MAX_ORIGINAL, MAX_ORIGINAL), Image.Resampling.LANCZOS, reducing_gap=3.0)
            options = {"JPEG": dict(quality=UPLOAD_QUALITY, optimize=True, progressive=True),
                       "WEBP": dict(quality=UPLOAD_QUALITY, method=4)}[fmt]
            dest.parent.mkdir(parents=True, exist_ok=True)
            im.save(tmp, fmt, **options)
    except UnidentifiedImageError as exc:
        raise ValueError("không phải một tệp ảnh đọc được") from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"không đọc được ảnh ({exc})") from exc
    os.replace(tmp, dest)   # a reader of the folder never sees half a photo
    return dest
