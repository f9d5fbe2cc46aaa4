"""Briefer: sourced briefings on Japan's AI governance, exported to Word."""

__version__ = "0.1.0"
