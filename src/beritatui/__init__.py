"""beritatui: a terminal content manager for newsrooms."""

__version__ = "0.1.0"
