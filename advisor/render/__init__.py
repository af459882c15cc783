"""Render stage: each renderer turns a Report into a string; only the CLI prints."""
