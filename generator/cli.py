"""The `bantin` command: build, check and preview a portal."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import click

from .content.errors import ContentError, Problem
from .content.reader import Reader


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
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, format="%(message)s")
    overrides = {"site_dir": site_dir} if site_dir else {}
    config, plugin = _load(config_file, "build", **overrides)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        config.plugins.on_shutdown()
    except (Abort, MkDocsException) as exc:
        if plugin.failed:  # the problems are already printed, one per line
            sys.exit(1)
        _fail(exc)
    if not quiet:
        click.echo(f"Đã dựng trang vào {config.site_dir}")


def _report(problems: list[Problem], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = []
        for p in problems:
            level = "error" if p.severity == "error" else "warning"
            text = f"{p.field}: {p.message}" + (f" ({p.expected})" if p.expected else "")
            lines.append(f"::{level} file={p.path},line={p.line},title=bantin::{text}")
        return "\n".join(lines)
    errors = [str(p) for p in problems if p.severity == "error"]
    warnings = [str(p) for p in problems if p.severity != "error"]
    out = []
    if errors:
        out += ["Lỗi:" if not warnings else "Lỗi:"] + errors
    if warnings:
        out += ["Cảnh báo:"] + warnings
    return "\n".join(out)


@main.command()
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
def check(config_file: str, fmt: str, strict: bool) -> None:
    """Validate every bulletin without building: each problem as path:line: field: message."""
    config, plugin = _load(config_file, "check")
    settings = plugin.settings(config)
    reader = Reader(settings.content_dir, timezone=settings.timezone, language=settings.language,
                    now=settings.now, drafts=True, future=True)
    result = reader.read()
    report = _report(result.problems, fmt)
    if report:
        click.echo(report)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt == "text":
        total = len(result.bulletins) + len(result.held_back)
        click.echo(f"{total} bài, {len(result.errors)} lỗi, {len(result.warnings)} cảnh báo.", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--no-livereload", is_flag=True, help="Do not reload the browser on save.")
def serve(config_file: str, dev_addr: str, no_livereload: bool) -> None:
    """Live preview with drafts and scheduled bulletins, reloaded on save."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, MkDocsException

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        mkdocs_serve(config_file, dev_addr=dev_addr, livereload=not no_livereload)
    except (Abort, MkDocsException) as exc:
        _fail(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
