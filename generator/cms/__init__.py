"""The web editor at /admin/: Decap CMS configured from Bantin's models, and its local backend.

Two entry points, free of MkDocs: `FEATURE`, the part of the portal that publishes the
files under /admin/ (features.py), and `local_backend(project_dir)`, the
context manager with which `bantin serve` runs Decap's git backend on 127.0.0.1.
"""
from .admin import FEATURE, admin_files
from .backend import local_backend

__all__ = ["FEATURE", "admin_files", "local_backend"]
