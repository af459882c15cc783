"""Command line: thin click commands over the library; the only place that prints and exits."""
from .advice import main

__all__ = ["main"]
