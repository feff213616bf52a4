"""The versioned schema of a PostGIS store: migrations applied in order, never by hand.

``minfastighet db init`` creates the schema on an empty database and ``minfastighet db upgrade``
applies the migrations a database lacks; both call :func:`upgrade`. Each migration runs in its
own transaction together with the row that records it in ``minfastighet_schema``, under an
advisory lock, so two upgrades at once apply each step once. The layers themselves (one table
per layer, ``fid`` and a typed ``geom geometry(<type>, 3006)`` column) are created by the
store's atomic swap (:mod:`layers.postgis.write`); the migrations hold what every store has.

Text columns that are sorted or searched by prefix use the ``C`` collation, which orders by
code point as SQLite (and Python) do, whatever the database's locale: both backends then give
the same order.
"""

from __future__ import annotations

import psycopg

from layers.errors import StoreUnavailable

#: The table that records the applied migrations.
SCHEMA_TABLE = "minfastighet_schema"
#: Advisory lock key of migrations (and of layer swaps, which must not run during one).
MIGRATION_LOCK = 0x6D66_0001

#: The migrations, in order: (version, what it does, its statements).
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "extensions, layer catalogue, import records and search table",
        (
            "CREATE EXTENSION IF NOT EXISTS postgis",
            'CREATE TABLE layers_meta (layer text COLLATE "C" PRIMARY KEY, '
            "geometry_type text NOT NULL, columns jsonb NOT NULL, "
            "extent double precision[], feature_count bigint NOT NULL, "
            "last_change text NOT NULL, generation bigint NOT NULL DEFAULT 1)",
            "CREATE TABLE layers_imports (layer text PRIMARY KEY, imported_at text NOT NULL, "
            "report text NOT NULL)",
            'CREATE TABLE layers_search (kind text COLLATE "C" NOT NULL, '
            'key text COLLATE "C" NOT NULL, unit_id text, label text NOT NULL, '
            'designation text, town text COLLATE "C", ref text, '
            "seq bigint GENERATED ALWAYS AS IDENTITY)",
            "CREATE INDEX layers_search_key ON layers_search (kind, key, seq)",
        ),
    ),
)

#: The schema version this code reads and writes.
VERSION = MIGRATIONS[-1][0]


def current_version(con: psycopg.Connection[tuple[object, ...]]) -> int:
    """The version of a database's schema; 0 when it has none."""
    exists = con.execute("SELECT to_regclass(%s)", (SCHEMA_TABLE,)).fetchone()
    if exists is None or exists[0] is None:
        return 0
    row = con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchone()
    return int(str(row[0])) if row and row[0] is not None else 0


def upgrade(dsn: str) -> list[int]:
    """Apply the migrations the database at ``dsn`` lacks; the versions applied, in order.

    Raises
    ------
    StoreUnavailable
        The database cannot be reached, or a migration failed (it is rolled back).
    """
    applied: list[int] = []
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as con:
            con.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version integer PRIMARY KEY, "
                "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            have = current_version(con)
            for version, description, statements in MIGRATIONS:
                if version <= have:
                    continue
                with con.transaction():
                    for statement in statements:
                        con.execute(statement.encode())
                    con.execute(
                        f"INSERT INTO {SCHEMA_TABLE} (version, description) VALUES (%s, %s)",
                        (version, description),
                    )
                applied.append(version)
    except psycopg.Error as err:
        raise StoreUnavailable(f"cannot migrate the database: {err}") from err
    return applied


def check_version(con: psycopg.Connection[tuple[object, ...]], name: str) -> None:
    """Refuse a database whose schema is missing, older or newer than this code's.

    Raises
    ------
    StoreUnavailable
        With what to run (``minfastighet db init`` or ``db upgrade``).
    """
    have = current_version(con)
    if have == 0:
        raise StoreUnavailable(f"{name} has no Min fastighet schema; run 'minfastighet db init'")
    if have < VERSION:
        raise StoreUnavailable(
            f"{name} has schema version {have}, this code needs {VERSION}; "
            "run 'minfastighet db upgrade'"
        )
    if have > VERSION:
        raise StoreUnavailable(
            f"{name} has schema version {have}, newer than this code's {VERSION}; upgrade the code"
        )


__all__ = ["MIGRATIONS", "SCHEMA_TABLE", "VERSION", "check_version", "current_version", "upgrade"]
