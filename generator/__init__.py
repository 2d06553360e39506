"""Bantin: static news portals for Vietnamese local-government units."""

__version__ = "0.1.0"
