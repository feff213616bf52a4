"""The record of each layer's last import, kept in the store next to the layer.

The table ``layers_imports`` (a plain table, no geometry) holds one row per layer: when it was
imported and the import's report (JSON). :mod:`layers.gpkg.write` records it in the same swap
as the layer (and forgets it when a layer is replaced without a report);
:mod:`layers.gpkg.features` reads it into the layer's information.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from layers.gpkg.connection import GeoPackageConnection, has_table

#: The table the report of each layer's last import is kept in.
IMPORTS_TABLE = "layers_imports"


def record_import(
    con: sqlite3.Connection, layer: str, imported_at: str, report: dict[str, Any]
) -> None:
    """Record the report of a layer's import (inside the caller's transaction).

    >>> con = sqlite3.connect(":memory:")
    >>> record_import(con, "plans", "2026-01-01T00:00:00+00:00", {"licence": "CC0 1.0"})
    >>> con.execute("SELECT layer, report FROM layers_imports").fetchall()
    [('plans', '{"licence": "CC0 1.0"}')]
    """
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {IMPORTS_TABLE} (layer TEXT PRIMARY KEY, "
        "imported_at TEXT NOT NULL, report TEXT NOT NULL)"
    )
    con.execute(
        f"INSERT OR REPLACE INTO {IMPORTS_TABLE} VALUES (?, ?, ?)",
        (layer, imported_at, json.dumps(report, ensure_ascii=False)),
    )


def forget_import(con: sqlite3.Connection, layer: str) -> None:
    """Forget a layer's import (inside the caller's transaction): it was replaced without one.

    >>> con = sqlite3.connect(":memory:")
    >>> record_import(con, "plans", "2026-01-01T00:00:00+00:00", {})
    >>> forget_import(con, "plans")
    >>> con.execute("SELECT count(*) FROM layers_imports").fetchone()
    (0,)
    """
    if has_table(con, IMPORTS_TABLE):
        con.execute(f"DELETE FROM {IMPORTS_TABLE} WHERE layer = ?", (layer,))


def last_import(connection: GeoPackageConnection, layer: str) -> dict[str, Any] | None:
    """The report of a layer's last import and when it was (``imported_at``), or None."""
    if not connection.has_table(IMPORTS_TABLE):
        return None
    rows = connection.query(
        f"SELECT imported_at, report FROM {IMPORTS_TABLE} WHERE layer = ?", (layer,)
    )
    if not rows:
        return None
    report: dict[str, Any] = json.loads(rows[0][1])
    return {"imported_at": rows[0][0], **report}


__all__ = ["IMPORTS_TABLE", "forget_import", "last_import", "record_import"]
