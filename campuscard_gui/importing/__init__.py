"""Student import from CSV/XLSX: read a table, map its columns, check every row.

Typical use (all or nothing)::

    table = read_table(path)  # ImportFileError for an unusable file; limits: ImportLimits
    result = map_rows(table, guess_mapping(table.headers))
    if not result.errors:
        connector.import_students(result.students)
"""

from .limits import DEFAULT_LIMITS, ImportLimits, RowLimitError, UnsafeFileError, clean_cell
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
    "DEFAULT_LIMITS", "ImportLimits", "RowLimitError", "UnsafeFileError", "clean_cell",
]
