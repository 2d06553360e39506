"""What a front end calls (the MkDocs plugin today, any other tomorrow): settings and a theme in,
a finished site out.  Everything that decides what the site is lies behind these names."""
from __future__ import annotations

from .build import STOPS, build
from .config import Settings
from .preview import Preview
from .theme import Theme

__all__ = ["STOPS", "Preview", "Settings", "Theme", "build"]
