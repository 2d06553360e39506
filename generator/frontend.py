"""What a front end calls (the MkDocs plugin today, any other tomorrow): settings and a theme in,
a finished site out.  Everything that decides what the site is lies behind these names."""
from __future__ import annotations

from .build import BuildError, build
from .config import Settings, SettingsError
from .content.errors import ContentError
from .preview import Preview
from .theme import Theme

# What stops a build with a message for the person who can fix it, never with a traceback.
STOPS = (ContentError, SettingsError, BuildError)

__all__ = ["STOPS", "Preview", "Settings", "Theme", "build"]
