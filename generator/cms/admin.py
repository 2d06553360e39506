"""The files of the web editor that the site publishes under /admin/.

Decap CMS itself is copied from node_modules (installed by `npm install --omit=dev`),
so that the editor loads nothing from another host; beside it, the configuration
made from the models (config.py), Bantin's own widgets and preview
(static/bantin-cms.js), and the addresses of the bulletins already on the site,
with which the form refuses a new bulletin that would take one of them, and the order of
the form's fields, in which a bulletin's keys are written (bantin.json).
"""
from __future__ import annotations

import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Optional

from .. import urls
from ..search import BANTIN_HOME
from ..site import Site
from ..views.base import Asset, Feature
from . import config as cms_config

log = logging.getLogger("mkdocs.plugins.bantin")

FOLDER = urls.ADMIN
PACKAGE = "node_modules/decap-cms/dist"
# js-yaml reads and writes the site-data files, which are YAML lists (Decap reads only mappings).
YAML_SCRIPT = ("node_modules/js-yaml/dist/browser/js-yaml.umd.min.js", "js-yaml.js")
LOCAL_ENV = "BANTIN_CMS_LOCAL"       # set by backend.local_backend while `bantin serve` runs
OWN_FILES = ("index.html", "bantin-cms.js")


def npm_file(rel: str, *bases: Optional[Path]) -> Optional[Path]:
    """A file installed by npm, from the site's node_modules or Bantin's own."""
    for base in dict.fromkeys(b for b in (*bases, Path.cwd(), BANTIN_HOME) if b):
        if (Path(base) / rel).is_file():
            return Path(base) / rel
    return None


def bundle_files(dist: Path) -> list[Path]:
    """The entry script, the chunks it loads on demand, and their WebAssembly; no source maps."""
    return sorted(p for p in dist.iterdir()
                  if p.name == "decap-cms.js" or p.name.endswith(".decap-cms.js") or p.suffix == ".wasm")


def local_backend() -> Optional[cms_config.Local]:
    raw = os.environ.get(LOCAL_ENV)
    if not raw:
        return None
    found = json.loads(raw)
    return cms_config.Local(found["url"], found["branch"])


def addresses(site: Site) -> dict[str, str]:
    """Each bulletin's address, with the file that holds it."""
    return {f"/{b.url}": b.source_path for b in site.bulletins}


def field_order(fields: list[dict], path: str = "") -> dict[str, list[str]]:
    """The form's order of keys at each place of a bulletin ('', 'meeting', 'meeting.chairs'...)."""
    out = {path: [f["name"] for f in fields]}
    for f in fields:
        if f.get("fields"):
            out.update(field_order(f["fields"], f"{path}.{f['name']}" if path else f["name"]))
    return out


def _own(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def admin_files(site: Site) -> list[Asset]:
    """Everything under /admin/: Decap, its configuration, Bantin's widgets and the known addresses."""
    settings = site.settings
    project = Path(settings.content_dir).resolve().parent
    entry, yaml_script = npm_file(f"{PACKAGE}/decap-cms.js", project), npm_file(YAML_SCRIPT[0], project)
    if entry is None or yaml_script is None:
        log.warning("Không có trình soạn thảo web /admin/: chưa cài Decap CMS và js-yaml, chạy `npm install --omit=dev` "
                    "(the web editor is left out: decap-cms is not installed)")
        return []
    made = cms_config.make(settings.content_dir, site.data, settings.base_path, local_backend())
    known = {"addresses": addresses(site), "order": field_order(made["collections"][0]["fields"])}
    assets = [Asset(FOLDER + "config.yml", cms_config.dumps(made).encode()),
              Asset(FOLDER + "bantin.json", json.dumps(known, ensure_ascii=False, sort_keys=True).encode())]
    assets += [Asset(FOLDER + name, _own(name)) for name in OWN_FILES]
    assets.append(Asset(FOLDER + YAML_SCRIPT[1], yaml_script.read_bytes()))
    assets += [Asset(FOLDER + path.name, path.read_bytes()) for path in bundle_files(entry.parent)]
    return assets


FEATURE = Feature("web-editor", files=admin_files)
