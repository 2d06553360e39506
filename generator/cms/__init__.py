"""The web editor at /admin/: Decap CMS configured from Bantin's models, and its local backend.

Two entry points, free of MkDocs: `admin_files(site)`, the files the site publishes
under /admin/ (an asset view of the build), and `local_backend(project_dir)`, the
context manager with which `bantin serve` runs Decap's git backend on 127.0.0.1.
"""
from .admin import admin_files
from .backend import local_backend

__all__ = ["admin_files", "local_backend"]
