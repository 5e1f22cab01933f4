"""The command line: ``sct transform`` and ``sct check``."""
from .main import main

__all__ = ["main"]
