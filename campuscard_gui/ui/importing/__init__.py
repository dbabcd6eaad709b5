"""Importing students from CSV/XLSX into the local database."""
