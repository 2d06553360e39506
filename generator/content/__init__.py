"""Editors' files in, typed content objects out."""
