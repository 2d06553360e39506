"""`bantin import`: an old portal's archive brought in as draft bulletins.

Three steps, in this order, so that a mistake costs nothing:
1. read every source into articles (sources.py and the readers it calls);
2. decide each article's unit and category (mapping.py): any unknown key or
   undecided article stops the import here, before a single file is written;
3. for each article not imported before: read its meeting record (record.py),
   keep its photos (photos.py), write the bulletin (write.py).
The report (report.py) says what was written, from which words, and what an
editor should look at.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from ..content.reader import Reader
from ..vietnamese import fold, slugify
from . import mapping, photos, record, write
from .article import FIGURE, Article
from .fetch import DELAY, TIMEOUT, FetchError, Fetcher
from .report import Report, Written
from .sources import gather


@dataclass
class Options:
    content_dir: Path
    timezone: str = "Asia/Ho_Chi_Minh"
    unit: Optional[str] = None
    category: Optional[str] = None
    mapping_file: Optional[Path] = None
    date: Optional[datetime] = None          # for articles whose source gives none
    media: list[Path] = field(default_factory=list)
    fetch_photos: bool = False
    delay: float = DELAY
    timeout: float = TIMEOUT


def _topics(article: Article, known: dict) -> list[str]:
    """Old tags that are topics of the site (by key or by name); the rest go to the review."""
    by_name = {fold(t.name): key for key, t in known.items()}
    keys, unknown = [], []
    for tag in article.tags:
        key = slugify(tag) if slugify(tag) in known else by_name.get(fold(tag))
        if key and key not in keys:
            keys.append(key)
        elif not key:
            unknown.append(tag)
    if unknown:
        article.review.append("Thẻ trên trang cũ chưa có chủ đề tương ứng trong topics.yml: " + ", ".join(unknown))
    return keys


def run(sources: list[str], options: Options, fetcher: Optional[Fetcher] = None) -> Report:
    tz = ZoneInfo(options.timezone)
    content = Path(options.content_dir)
    report = Report()
    reader = Reader(content, timezone=options.timezone)
    data = reader.read_site_data()
    if reader.problems:
        report.errors = ["dữ liệu của trang có lỗi, sửa trước: " + str(p) for p in reader.problems]
        return report
    try:
        targets = mapping.load(options.mapping_file, options.unit, options.category)
    except mapping.MappingError as exc:
        report.errors = [str(exc)]
        return report
    report.errors = mapping.check(targets, data)
    if report.errors:
        return report

    fetcher = fetcher or Fetcher(delay=options.delay, timeout=options.timeout)
    try:
        gathered, report.left_out = gather(sources, fetcher, tz)
        report.passed = len(gathered.passed)
        report.not_written += gathered.problems
        plan = []
        for article in gathered.articles:
            unit, category, how = mapping.resolve(targets, article.section)
            if not unit:
                report.errors.append(f"{article.address}: chưa rõ đơn vị (dùng --unit, hoặc unit: trong tệp ánh xạ)")
            if not category:
                section = f" (chuyên mục trên trang cũ: “{article.section}”)" if article.section else ""
                report.errors.append(f"{article.address}{section}: chưa rõ chuyên mục (dùng --category, hoặc "
                                     "thêm chuyên mục cũ vào sections: của tệp ánh xạ)")
            plan.append((article, unit, category, how))
        if report.errors:
            return report
        _write_all(plan, data, content, tz, options, photos.PhotoFinder(fetcher, options.media, options.fetch_photos),
                   report)
    finally:
        fetcher.close()
    return report


def _write_all(plan, data, content: Path, tz: ZoneInfo, options: Options, finder: photos.PhotoFinder,
               report: Report) -> None:
    taken = write.existing(content)
    seen: set[str] = set()
    for article, unit_key, category_key, how in plan:
        if article.address in taken.imported:
            report.unchanged.append((article.address, taken.imported[article.address]))
            continue
        if article.address in seen:
            continue
        seen.add(article.address)
        if article.published is None:
            if options.date is None:
                report.not_written.append((article.address, "không tìm thấy ngày đăng trong nguồn; dùng --date "
                                                             "YYYY-MM-DD nếu biết ngày"))
                continue
            article.published = options.date.replace(tzinfo=tz)
            article.note("date", article.published, "--date", "nguồn không ghi ngày đăng")
        try:
            written = _write_one(article, data, unit_key, category_key, how, content, tz, finder, taken)
        except (ValueError, OSError) as exc:
            report.not_written.append((article.address, str(exc)))
            continue
        report.written.append(written)


def _write_one(article: Article, data, unit_key: str, category_key: str, how: str, content: Path, tz: ZoneInfo,
               finder: photos.PhotoFinder, taken: write.Existing) -> Written:
    when = article.published.astimezone(tz)
    slug = write.free_slug(article.title, when, taken, content)
    meeting = record.extract(article, data.units[unit_key], data.units, tz)
    path = content / "bulletins" / f"{when.year:04d}" / f"{slug}.md"
    kept: dict[int, str] = {}
    made: list[Path] = []

    def keep(src: str, n: int) -> Optional[str]:
        try:
            dest = photos.keep(finder.get(article, src), content / "media", when.year, f"{slug}-{n}")
        except (FetchError, ValueError, OSError) as exc:
            article.review.append(f"Ảnh {src}: {exc}. Bài vẫn được ghi, không có ảnh này.")
            return None
        made.append(dest)
        return "/" + dest.relative_to(content).as_posix()

    figures = [i for i, b in enumerate(article.blocks) if b.kind == FIGURE]
    n = 0
    for i in figures:
        block = article.blocks[i]
        if not block.src:
            article.review.append(f"Chú thích ảnh không kèm ảnh: “{block.text}” (để nghiêng trong bài; thêm ảnh "
                                  "vào content/media/ rồi sửa thành ![…](/media/…)).")
            continue
        n += 1
        site_path = keep(block.src, n)
        if site_path:
            kept[i] = site_path
    fields: dict = {"title": article.title, "slug": slug, "date": when.strftime("%Y-%m-%d %H:%M"), "draft": True,
                    "category": category_key, "unit": unit_key}
    topics = _topics(article, data.topics)
    if topics:
        fields["topics"] = topics
    for name in ("author", "source"):
        if getattr(article, name):
            fields[name] = getattr(article, name)
    if article.cover is not None:
        cover = keep(article.cover.src, 0)
        if cover:
            fields["image"] = cover
            if article.cover.text:
                fields["caption"] = article.cover.text
    alias, why_not = write.alias(article.old_url)
    url = f"{when.year:04d}/{when.month:02d}/{slug}"
    if alias and alias.strip("/") != url and alias not in taken.aliases:
        fields["aliases"] = [alias]
        taken.aliases.add(alias)
    if why_not:
        article.review.append(why_not)
    fields["imported_from"] = article.address
    if meeting:
        fields["meeting"] = meeting
    if how:
        article.note("category", category_key, how)
    try:
        write.front_matter(fields, tz)
        write.write(path, fields, write.body(article.blocks, kept))
    except (ValueError, OSError):
        for photo in made:          # nothing of a bulletin that was not written stays behind
            photo.unlink(missing_ok=True)
        raise
    shown = path.relative_to(content.parent).as_posix()
    taken.urls.add(url)
    taken.imported[article.address] = shown
    return Written(shown, article.address, article.title, article.found,
                   [p.relative_to(content.parent).as_posix() for p in made], article.review)
