"""The `bantin` command: build, check, preview a portal, start or describe a bulletin, import an archive."""
from __future__ import annotations

import errno
import json
import logging
import os
import signal
import socket
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

import click

from . import cms, scaffold
from . import config as config_module
from . import schema as schema_module
from .content.errors import ERROR, NOTE, WARNING, Problem
from .content.models import KIND_LABELS
from .content.reader import Reader
from .vietnamese import day_time


_finished = False   # a build has finished, with everything written and closed (see `run`)


def run() -> None:
    """The `bantin` program: `main`, then, once a build has finished, `leave`."""
    try:
        main()
    except SystemExit:
        if not finished():
            raise
    if finished():
        leave()


def finished() -> bool:
    return _finished


def leave() -> None:
    """Ends the process at once.  Left to itself, Python would free a finished build's objects
    one by one on the way out (3 s after a build of 10,000 bulletins), with nothing left to write."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _load(config_file: str, command: str, **overrides):
    """MkDocs' own config loading, so that `bantin` and `mkdocs` read mkdocs.yml alike."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(config_file, **overrides)
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    plugin = config.plugins.get("bantin")
    if plugin is None:
        raise click.ClickException(f"{config_file}: plugins: bantin is missing")
    plugin.command = command
    return config, plugin


def _fail(exc: Exception) -> None:
    click.echo(str(exc).strip(), err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bantin")
def main() -> None:
    """Bantin: Vietnamese local-government news portals from YAML/Markdown."""


config_option = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                             type=click.Path(exists=True, dir_okay=False), help="The site's mkdocs.yml.")


@main.command()
@config_option
@click.option("-d", "--site-dir", default=None, help="Output folder (default: site_dir of mkdocs.yml).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def build(config_file: str, site_dir: Optional[str], quiet: bool) -> None:
    """Build the portal into site/ (the old site/ stays if anything fails)."""
    global _finished
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, format="%(message)s")
    overrides = {"site_dir": site_dir} if site_dir else {}
    config, plugin = _load(config_file, "build", **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    except (Abort, MkDocsException) as exc:
        if plugin.failed:  # the problems are already printed, one per line
            sys.exit(1)
        _fail(exc)
    finally:
        config.plugins.on_shutdown()
    made = getattr(plugin, "made", None)
    notes = made.content.notes if made is not None else []
    for note in notes if not quiet else []:
        click.echo(str(note), err=True)
    if not quiet:
        held = f" ({len(notes)} bài chưa đăng: bản nháp hoặc hẹn giờ)" if notes else ""
        click.echo(f"Đã dựng trang vào {config.site_dir}{held}")
    _finished = True


def _editor_site(config_file: str, content_dir: Optional[str]):
    """The site's settings from mkdocs.yml (with another content folder when given), or, without
    mkdocs.yml, settings for the folder alone; the second is True when mkdocs.yml was read."""
    from .config import Settings

    if Path(config_file).is_file():
        config, plugin = _load(config_file, "check")
        settings = plugin.settings(config)
        if content_dir:
            settings.content_dir = Path(content_dir)
        try:
            config_module.check(settings)
        except config_module.SettingsError as exc:
            _settings_failed(exc)
        return settings, True
    if content_dir:
        return Settings(content_dir=Path(content_dir), site_url="https://bantin.invalid/"), False
    _die(f"không tìm thấy {config_file}: chạy lệnh trong thư mục của trang, hoặc dùng -f hay --content-dir")


def _settings_failed(exc) -> None:
    """Configuration problems, for a command that builds nothing (so says nothing of site/)."""
    click.echo("\n".join(exc.problems + ["mkdocs.yml có lỗi: sửa các dòng trên rồi chạy lại."]), err=True)
    sys.exit(1)


def _die(text: str) -> None:
    click.echo(f"Lỗi: {text}", err=True)
    sys.exit(1)


def _shown(path: Path) -> str:
    """A path as the editor would type it: relative to where the command runs, when inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


editor_config_option = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                                    type=click.Path(dir_okay=False), help="The site's mkdocs.yml.")
content_option = click.option("--content-dir", default=None, type=click.Path(file_okay=False),
                              help="The content folder (default: from mkdocs.yml).")


def _github(text: str, prop: bool = False) -> str:
    """Escape for a workflow command (GitHub's rules: %, CR, LF; and ':' ',' in properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _report(problems: list[Problem], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = []
        for p in problems:
            level = {ERROR: "error", WARNING: "warning"}.get(p.severity, "notice")
            text = f"{p.field or '-'}: {p.message}" + (f" ({p.expected})" if p.expected else "")
            lines.append(f"::{level} file={_github(p.path, True)},line={p.line},"
                         f"title={_github('bantin check', True)}::{_github(text)}")
        return "\n".join(lines)
    out = []
    for severity, heading in ((ERROR, "Lỗi:"), (WARNING, "Cảnh báo (không chặn việc đăng bài):"),
                              (NOTE, "Chưa đăng (bản nháp, bài hẹn giờ):")):
        lines = [str(p) for p in problems if p.severity == severity]
        if lines:
            out += ([""] if out else []) + [heading] + lines
    return "\n".join(out)


@main.command()
@editor_config_option
@content_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for annotations in GitHub Actions.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
def check(config_file: str, content_dir: Optional[str], fmt: str, strict: bool) -> None:
    """Validate every bulletin without building: each problem as path:line: field: message (expected).

    Exits 1 when there are errors (or warnings, with --strict)."""
    from .build import validate

    settings, configured = _editor_site(config_file, content_dir)
    settings.drafts = settings.future = False       # what a build would publish, and what it holds back
    try:
        result = validate(settings)
    except config_module.SettingsError as exc:
        _settings_failed(exc)
    report = _report(result.problems, fmt)
    if report:
        click.echo(report)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt != "json":
        total = len(result.bulletins) + len(result.held_back)
        verdict = "chưa đạt" if failed else "đạt"
        held = f", {len(result.notes)} chưa đăng" if result.notes else ""
        click.echo(f"{total} bài, {len(result.errors)} lỗi, {len(result.warnings)} cảnh báo{held}: {verdict}.", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("kind", type=click.Choice([*scaffold.KINDS, scaffold.SCHEDULE]))
@click.argument("title")
@editor_config_option
@content_option
@click.option("-c", "--category", default=None, help="Category key (default: the first fitting one in categories.yml).")
@click.option("-u", "--unit", default=None, help="Unit key (default: the first in units.yml).")
@click.option("-t", "--topic", "topics", multiple=True, help="Topic key; repeat for several.")
@click.option("--date", "when", default=None, help="Publication time 'YYYY-MM-DD HH:MM' (default: now); "
                                                   "a future time schedules the bulletin.")
@click.option("--yml", is_flag=True, help="Write a .yml file (body in the YAML) instead of .md.")
@click.option("--reception", is_flag=True, help="With `schedule`: a citizen-reception schedule, not a week of work.")
def new(kind: str, title: str, config_file: str, content_dir: Optional[str], category: Optional[str],
        unit: Optional[str], topics: tuple[str, ...], when: Optional[str], yml: bool, reception: bool) -> None:
    """Start a new bulletin: KIND is meeting, opinion or news; TITLE its title. Or a schedule
    (KIND schedule): a unit's week of work from the Monday of --date (default next week), or with
    --reception its citizen-reception days.

    Writes content/bulletins/<year>/<slug>.md (content/schedules/<year>/<slug>.yml) with every
    field of the kind, explained in Vietnamese, dated now; never overwrites a file."""
    settings, _ = _editor_site(config_file, content_dir)
    folder, timezone, language = settings.content_dir, settings.timezone, settings.language
    tz = ZoneInfo(timezone)
    date = datetime.now(tz).replace(second=0, microsecond=0)
    if when:
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
            try:
                date = datetime.strptime(when.strip(), fmt).replace(tzinfo=tz)
                break
            except ValueError:
                continue
        else:
            _die(f"--date {when!r} không đọc được (dạng YYYY-MM-DD HH:MM, ví dụ 2022-11-02 20:32)")
    reader = Reader(folder, timezone=timezone, language=language)
    data = reader.read_site_data()
    if reader.problems:
        _die("dữ liệu của trang có lỗi, sửa trước:\n" + "\n".join(str(p) for p in reader.problems))
    if kind == scaffold.SCHEDULE:
        _new_schedule(folder, title, unit, date, bool(when), reception, data)
        return
    try:
        request = scaffold.resolve(kind, title, date, data, category=category, unit=unit, topics=topics, yml=yml)
        path = scaffold.create(folder, request, data)
    except scaffold.ScaffoldError as exc:
        _die(str(exc))
    except FileExistsError as exc:
        _die(f"{_shown(Path(str(exc)))} đã có, không ghi đè. Đặt tiêu đề khác, hoặc sửa thẳng tệp đó.")
    scheduled = f", hẹn đăng {day_time(date)}" if date > datetime.now(tz) else ""
    click.echo(f"Đã tạo {_shown(path)} ({KIND_LABELS[kind]}, bản nháp{scheduled}).")
    site_schema = folder / schema_module.SITE_PATH
    if not site_schema.exists():
        schema_module.write(site_schema, schema_module.bulletin_schema(data))
        click.echo(f"Đã tạo {_shown(site_schema)} để trình soạn thảo kiểm tra khi gõ.")
    click.echo("Tiếp theo: sửa tệp, xem thử bằng `bantin serve`, kiểm tra bằng `bantin check`; "
               "đổi `draft: true` thành `draft: false` để đăng.")


def _new_schedule(folder: Path, title: str, unit: Optional[str], date: datetime, dated: bool, reception: bool,
                  data) -> None:
    first = date.date() if reception or dated else date.date() + timedelta(days=7 - date.weekday())
    if not reception:
        first -= timedelta(days=first.weekday())          # a week of work starts on its Monday
    try:
        path = scaffold.create_schedule(folder, title, unit or "", first, reception, data)
    except scaffold.ScaffoldError as exc:
        _die(str(exc))
    except FileExistsError as exc:
        _die(f"{_shown(Path(str(exc)))} đã có, không ghi đè. Đặt tên khác, hoặc sửa thẳng tệp đó.")
    click.echo(f"Đã tạo {_shown(path)} ({'lịch tiếp công dân' if reception else 'lịch công tác'} "
               f"từ {first.strftime('%d/%m/%Y')}).")
    site_schema = folder / schema_module.SCHEDULE_SITE_PATH
    if not site_schema.exists():
        schema_module.write(site_schema, schema_module.schedule_schema(data))
        click.echo(f"Đã tạo {_shown(site_schema)} để trình soạn thảo kiểm tra khi gõ.")
    click.echo("Tiếp theo: điền các việc, xem thử bằng `bantin serve`, kiểm tra bằng `bantin check`.")


@main.command("schema")
@editor_config_option
@content_option
@click.option("-o", "--output", default=None,
              help=f"Where to write ('-' for standard output; default: <content>/{schema_module.SITE_PATH}).")
@click.option("--generic", is_flag=True, help="Without the site's categories and units (the schema shipped with Bantin).")
def schema_command(config_file: str, content_dir: Optional[str], output: Optional[str], generic: bool) -> None:
    """Write the JSON Schema of the front matter, for editors that validate YAML as you type."""
    data = None
    folder = Path(content_dir) if content_dir else None
    if not generic or not output:
        settings, _ = _editor_site(config_file, content_dir)
        folder, timezone, language = settings.content_dir, settings.timezone, settings.language
        if not generic:
            reader = Reader(folder, timezone=timezone, language=language)
            data = reader.read_site_data()
    document = schema_module.bulletin_schema(data)
    if output == "-":
        click.echo(schema_module.dumps(document), nl=False)
        return
    path = Path(output) if output else folder / schema_module.SITE_PATH
    written = schema_module.write(path, document)
    click.echo(f"Đã ghi {_shown(path)}." if written else f"{_shown(path)} đã mới nhất.")
    if not output:      # and the schedule files' schema beside it
        path = folder / schema_module.SCHEDULE_SITE_PATH
        written = schema_module.write(path, schema_module.schedule_schema(data))
        click.echo(f"Đã ghi {_shown(path)}." if written else f"{_shown(path)} đã mới nhất.")


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@editor_config_option
@content_option
@click.option("-u", "--unit", default=None, help="Unit key for every imported bulletin.")
@click.option("-c", "--category", default=None, help="Category key for every imported bulletin.")
@click.option("-m", "--map", "mapping_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="YAML mapping: unit, category, and the old sections -> category keys.")
@click.option("--date", "when", default=None, help="Publication date 'YYYY-MM-DD [HH:MM]' for sources that give none.")
@click.option("--media", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A folder of the old site's photos (e.g. wp-content/uploads); repeat for several.")
@click.option("--fetch-photos", is_flag=True, help="Download photos that local files link on the old site.")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds between two requests to one host.")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=1), help="Seconds per request.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
def import_command(sources: tuple[str, ...], config_file: str, content_dir: Optional[str], unit: Optional[str],
                   category: Optional[str], mapping_file: Optional[str], when: Optional[str], media: tuple[str, ...],
                   fetch_photos: bool, delay: float, timeout: float, fmt: str) -> None:
    """Import an old portal's bulletins as drafts: SOURCE is a feed, an HTML page, a folder of saved
    pages, a file of URLs, a WordPress export or a plain text (a file or a URL).

    Prints what was written, every field with the sentence it came from, and what needs a look;
    a source imported before is left alone. Exits 1 when something could not be imported."""
    from . import importer

    settings, _ = _editor_site(config_file, content_dir)
    folder, timezone = settings.content_dir, settings.timezone
    date = None
    if when:
        try:
            date = datetime.strptime(when.strip(), "%Y-%m-%d %H:%M") if ":" in when else \
                datetime.strptime(when.strip(), "%Y-%m-%d").replace(hour=8)   # no time: 08:00, as the guide says
        except ValueError:
            _die(f"--date {when!r} không đọc được (dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM)")
    options = importer.Options(folder, timezone, unit, category, Path(mapping_file) if mapping_file else None, date,
                               [Path(m) for m in media], fetch_photos, delay, timeout)
    report = importer.run(list(sources), options)
    click.echo(report.json() if fmt == "json" else report.text())
    sys.exit(1 if report.failed else 0)


def stop_like_ctrl_c() -> None:
    """A closed terminal (SIGHUP) or a stop from a service manager (SIGTERM) ends the preview as
    Ctrl+C does, so that it removes its folders from the temporary folder rather than leaving a
    whole site there each time."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


@main.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--no-livereload", is_flag=True, help="Do not reload the browser on save.")
def serve(config_file: str, dev_addr: str, no_livereload: bool) -> None:
    """Live preview with drafts ("Bản nháp") and scheduled bulletins ("Hẹn giờ"), reloaded on save."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, MkDocsException

    host, _, port = dev_addr.rpartition(":")
    busy = f"cổng {port} đang bận (có thể một bản xem thử khác đang chạy); chọn cổng khác, ví dụ: " \
           f"bantin serve -a {host or '127.0.0.1'}:{int(port) + 1 if port.isdigit() else 8001}"
    try:  # before the build, so that the editor does not wait for nothing
        with socket.socket() as probe:
            # As the server itself binds: a port the last preview left a moment ago is free to use.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host or "127.0.0.1", int(port)))
    except ValueError:
        _die(f"địa chỉ {dev_addr!r} không đọc được (dạng 127.0.0.1:8000)")
    except OSError:
        _die(busy)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    click.echo(f"Xem thử tại http://{dev_addr}/ (cả bài nháp và bài hẹn giờ); trang tự tải lại khi lưu tệp. "
               "Dừng: Ctrl+C.", err=True)
    try:
        # "dirty": MkDocs keeps the served folder between builds, so that Bantin rewrites only
        # the pages an edit changed (plugin.py, write_pages); its warning about such builds
        # is for MkDocs' own pages, which Bantin always rebuilds.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: "'dirty' build" not in record.getMessage())
        stop_like_ctrl_c()
        with cms.local_backend(Path(config_file).resolve().parent):   # the web editor's /admin/ saves through it
            mkdocs_serve(config_file, dev_addr=dev_addr, livereload=not no_livereload, build_type="dirty")
    except (Abort, MkDocsException) as exc:
        _fail(exc)
    except OSError as exc:
        _die(busy if exc.errno == errno.EADDRINUSE else str(exc))


if __name__ == "__main__":  # pragma: no cover
    run()
