"""Ingest: reading article files (encodings, front matter, HTML) and cleaning their text."""
