"""Shanxi investment map: articles in, located investment records out.

The package layout is the pipeline:
ingest -> extract -> geocode -> spatial (join) -> store -> export / mapview.
"""
import logging

logger = logging.getLogger("geo")
logger.addHandler(logging.NullHandler())

__version__ = "0.1.0"
