"""The web editor's configuration (admin/config.yml), made from the models and the site data.

Never kept by hand: the bulletin form is `fields.model_fields(FrontMatter)`, the schedule
form `model_fields(ScheduleMatter)`, the site-data forms those of Unit, Category and Topic, and the choices of category,
unit and topics are the entries of the site's own data files.  Where the site
keeps its files (which backend, repository, branch, who may publish) is the
site's choice, in `content/cms.yml` (see docs/cms/ for GitHub, GitLab and
Gitea/Forgejo); without it the editor works only with the local backend of
`bantin serve`.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from ..content.models import Category, FrontMatter, ScheduleMatter, Topic, Unit
from ..content.reader import SiteData
from .fields import model_fields

SETTINGS_FILE = "cms.yml"            # in the content folder
DEFAULT_BACKEND = {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"}
# Keys of content/cms.yml passed to Decap as they are (see docs/cms/README.md).
PASSED = ("backend", "publish_mode", "site_url", "display_url", "logo_url")
SITE_DATA = (("units", "Đơn vị", Unit, "Các phường, xã, quận... có bài trên cổng."),
             ("categories", "Chuyên mục", Category, "Các chuyên mục trên thanh chuyên mục."),
             ("topics", "Chủ đề", Topic, "Các chủ đề gắn cho bài và cho vấn đề dư luận."))
# The site-data files are YAML lists: read and written by Bantin's own format (static/bantin-cms.js),
# which holds the list under this name.
DATA_FORMAT, DATA_ITEMS = "bantin-list", "items"
BULLETIN_FORMAT = "bantin-front-matter"   # front matter written with js-yaml, safe for PyYAML
MEDIA = "media"                      # photos: <content>/media/<year>/, at /media/<year>/ on the site


@dataclass(frozen=True)
class Local:
    """The local backend of `bantin serve`: where it listens and which branch it commits to."""

    url: str                         # http://127.0.0.1:PORT/api/v1
    branch: str


class SettingsError(ValueError):
    """content/cms.yml cannot be used; worded for the editor."""


def repo_folder(content_dir: Path) -> str:
    """The content folder as the repository names it ('content'), which is how Decap addresses files."""
    content_dir = Path(content_dir).resolve()
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=content_dir, capture_output=True,
                             text=True, timeout=30)
        root = Path(top.stdout.strip()) if top.returncode == 0 and top.stdout.strip() else content_dir.parent
    except (OSError, subprocess.SubprocessError):
        root = content_dir.parent
    try:
        return content_dir.relative_to(root.resolve()).as_posix()
    except ValueError:
        return content_dir.name


def read_settings_file(path: Path) -> dict:
    """A site's CMS settings (content/cms.yml, or one of docs/cms/), checked for what Bantin reads."""
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: không đọc được YAML ({exc})") from None
    if not isinstance(settings, dict) or not isinstance(settings.get("backend", {}), dict):
        raise SettingsError(f"{path}: cần các mục backend, publish_mode... (xem docs/cms/README.md)")
    return settings


def read_settings(content_dir: Path) -> dict:
    path = Path(content_dir) / SETTINGS_FILE
    return read_settings_file(path) if path.is_file() else {}


def bulletins_collection(folder: str, data: SiteData) -> dict:
    fields = model_fields(FrontMatter, data)
    return {
        "name": "bulletins",
        "label": "Bài viết",
        "label_singular": "bài viết",
        "description": "Tin, biên bản hội nghị và tổng hợp dư luận xã hội. Bấm «Thêm bài viết» để viết bài.",
        "folder": f"{folder}/bulletins",
        "path": "{{year}}/{{slug}}",
        "slug": "{{fields.slug}}",
        "extension": "md",
        "format": BULLETIN_FORMAT,
        "create": True,
        "identifier_field": "title",
        "summary": "{{title}} ({{date}})",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title"],
        "view_filters": [{"label": "Bản nháp", "field": "draft", "pattern": True}],
        "media_folder": f"/{folder}/{MEDIA}/{{{{year}}}}",
        "public_folder": f"/{MEDIA}/{{{{year}}}}",
        "editor": {"preview": True},
        "fields": fields,
    }


def schedules_collection(folder: str, data: SiteData) -> dict:
    """Schedule files (content/schedules/<year>/<slug>.yml): plain YAML mappings, which Decap reads as they are."""
    return {
        "name": "schedules",
        "label": "Lịch công tác, tiếp công dân",
        "label_singular": "lịch",
        "description": "Lịch công tác tuần và lịch tiếp công dân của các đơn vị, đăng trước khi diễn ra.",
        "folder": f"{folder}/schedules",
        "path": "{{year}}/{{slug}}",
        "slug": "{{fields.title}}",
        "extension": "yml",
        "format": "yml",
        "create": True,
        "identifier_field": "title",
        "summary": "{{title}}",
        "editor": {"preview": False},
        "fields": model_fields(ScheduleMatter, data),
    }


def site_data_collection(folder: str, data: SiteData) -> dict:
    files = []
    for name, label, model, description in SITE_DATA:
        files.append({
            "name": name, "label": label, "file": f"{folder}/{name}.yml", "description": description,
            "fields": [{"name": DATA_ITEMS, "label": label, "label_singular": label.lower(), "widget": "list",
                        "collapsed": True, "summary": "{{fields.name}} ({{fields.key}})",
                        "fields": model_fields(model, data)}],
        })
    return {"name": "site-data", "label": "Dữ liệu trang", "format": DATA_FORMAT, "editor": {"preview": False},
            "files": files}


def make(content_dir: Path, data: SiteData, base_path: str = "/", local: Optional[Local] = None) -> dict:
    """The whole configuration, as Decap reads it."""
    folder = repo_folder(content_dir)
    settings = read_settings(content_dir)
    config = {key: settings[key] for key in PASSED if key in settings}
    config.setdefault("backend", dict(DEFAULT_BACKEND))
    if local is not None:
        # `bantin serve`: Decap talks to the local backend, which commits straight to the working copy.
        config["local_backend"] = {"url": local.url}
        config["backend"] = {**config["backend"], "branch": local.branch}
        config["publish_mode"] = "simple"
    config.update({
        "locale": "vi",
        "media_folder": f"{folder}/{MEDIA}",
        "public_folder": f"/{MEDIA}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [bulletins_collection(folder, data), schedules_collection(folder, data),
                        site_data_collection(folder, data)],
    })
    if base_path != "/":
        config.setdefault("site_url", base_path)
    return config


def dumps(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
