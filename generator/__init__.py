"""Bantin: static news portals for Vietnamese local-government units."""
from importlib import metadata

try:
    __version__ = metadata.version("bantin")   # pyproject.toml's, the one place it is written
except metadata.PackageNotFoundError:          # pragma: no cover - run from a checkout without installing
    __version__ = "0"
