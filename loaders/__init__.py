"""Loaders: read the curated data package, validate it, build the database and export it."""
