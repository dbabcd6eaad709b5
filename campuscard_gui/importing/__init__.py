"""Student import from CSV/XLSX: read a table, map its columns, check every row.

Typical use (all or nothing)::

    table = read_table(path)
    result = map_rows(table, guess_mapping(table.headers))
    if not result.errors:
        connector.import_students(result.students)
"""

from .mapping import (
    FIELD_KEYS,
    FIELDS,
    STATUS_SYNONYMS,
    Field,
    MappingResult,
    RowError,
    guess_mapping,
    map_rows,
    parse_status,
)
from .table import Table, read_table

__all__ = [
    "FIELD_KEYS", "FIELDS", "STATUS_SYNONYMS", "Field", "MappingResult", "RowError",
    "guess_mapping", "map_rows", "parse_status", "Table", "read_table",
]
