"""An article's photos, found and kept in `content/media/<year>/` under readable names.

A photo of a saved page is looked for where a site mirror leaves it: beside
the page, or under the mirror's folders for a root-relative or absolute
address ('/Upload/...', 'https://host/Upload/...'), or in a folder of
WordPress uploads (`--media`).  It is read from the network only when the
page itself was (or when asked to).  A local source never makes the importer
read outside its own folder.  Each photo is reduced as the web editor reduces
uploads (images.reduce_upload).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urljoin, urlsplit

from ..images import reduce_upload
from .article import Article
from .fetch import MAX_BYTES, FetchError, Fetcher, is_url

UPLOADS = "wp-content/uploads/"


class PhotoFinder:
    def __init__(self, fetcher: Fetcher, media: list[Path] = (), fetch_remote: bool = False):
        self.fetcher = fetcher
        self.media = [Path(m).resolve() for m in media]
        self.fetch_remote = fetch_remote

    def _inside(self, path: Path, roots: list[Path]) -> bool:
        try:
            resolved = path.resolve()
        except OSError:
            return False
        return any(resolved.is_relative_to(root) for root in roots) and resolved.is_file()

    def _local(self, article: Article, src: str) -> Optional[Path]:
        parts = urlsplit(src)
        path = unquote(parts.path)
        roots = ([Path(article.root).resolve()] if article.root else []) + self.media
        candidates: list[Path] = []
        page = Path(article.photo_base)
        folder = page if page.is_dir() else page.parent
        if not parts.scheme and not path.startswith("/"):
            candidates.append(folder / path)
        else:
            relative = path.lstrip("/")
            for ancestor in [folder, *folder.parents]:
                candidates.append(ancestor / relative)
                if parts.netloc:
                    candidates.append(ancestor / parts.netloc / relative)
                if article.root and not ancestor.resolve().is_relative_to(Path(article.root).resolve()):
                    break
        for media in self.media:
            inside = path.split(UPLOADS, 1)[1] if UPLOADS in path else path.lstrip("/")
            candidates += [media / inside, media / Path(path).name]
        return next((c for c in candidates if self._inside(c, roots)), None)

    def get(self, article: Article, src: str) -> bytes:
        """The bytes of a photo, or FetchError saying why not."""
        if src.startswith("data:"):
            raise FetchError("ảnh nhúng thẳng trong trang (data:), không chép được")
        if article.remote and is_url(article.photo_base):
            return self.fetcher.get(urljoin(article.photo_base, src)).content
        found = self._local(article, src) if article.photo_base else None
        if found is not None:
            if found.stat().st_size > MAX_BYTES:
                raise FetchError(f"{src}: tệp ảnh quá lớn")
            return found.read_bytes()
        if is_url(src) and self.fetch_remote:
            return self.fetcher.get(src).content
        where = "thư mục nguồn" + (" và thư mục --media" if self.media else "")
        hint = "" if not is_url(src) or self.fetch_remote else "; thêm --fetch-photos để tải từ trang cũ"
        raise FetchError(f"không có trong {where}{hint}")


def keep(data: bytes, media_dir: Path, year: int, stem: str) -> Path:
    """Write a reduced photo as media/<year>/<stem>.jpg (…-2.jpg if that name is taken)."""
    folder = media_dir / f"{year:04d}"
    dest = folder / f"{stem}.jpg"
    n = 2
    while dest.exists():
        dest = folder / f"{stem}-{n}.jpg"
        n += 1
    return reduce_upload(data, dest)
