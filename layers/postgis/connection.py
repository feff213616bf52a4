"""The connection pool of a PostGIS store, and the row access every reading part goes through.

A :class:`PostGISConnection` holds one :class:`psycopg_pool.ConnectionPool` (autocommit
connections: each query reads one consistent snapshot; parameters always travel separately
from the SQL, server side). A query that loses its connection (server restart, network) is
retried on a fresh one, twice, before it becomes :class:`~layers.errors.StoreUnavailable`,
which the service answers with 503 and a public message.

Geometries leave the database as WKB (``ST_AsBinary``). The lookups shared with the GeoPackage
backend (:mod:`layers.gpkg.lookups`, :mod:`layers.gpkg.search`) read rows through the same
methods as a :class:`~layers.gpkg.connection.GeoPackageConnection` (``query`` with ``?``
placeholders, ``where_equal``, ``in_bounds``), so a geometry is handed to them with the
8-byte GeoPackage header before its WKB (:func:`as_gpkg`), and their row-to-model code is one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg import sql as pgsql
from psycopg_pool import ConnectionPool, PoolTimeout

from layers.errors import StoreUnavailable
from sweref import STORAGE_CRS

log = logging.getLogger(__name__)

Row = tuple[Any, ...]
Bounds = tuple[float, float, float, float]
T = TypeVar("T")

#: The EPSG code of the storage CRS, for typed geometry columns and envelopes.
SRID = int(STORAGE_CRS.split(":")[1])
#: Pauses before the retries of a query whose connection was lost (seconds).
RETRY_PAUSES = (0.2, 1.0)
#: Session settings of every pooled connection: the lookups' statements are prepared by psycopg
#: (from their 5th run on a connection) and then run on one generic plan, never planned again
#: (PostgreSQL would keep planning the point lookup afresh: its generic plan's estimate is
#: worse than the custom one's, and planning cost 3 times its execution).
SESSION_SETTINGS = "SET plan_cache_mode = force_generic_plan"
#: The GeoPackage geometry header (magic, version 0, little-endian, no envelope, SRID 0).
_GPKG_HEADER = b"GP\x00\x01\x00\x00\x00\x00"


def as_gpkg(wkb: bytes | None) -> bytes | None:
    """WKB with the GeoPackage geometry header before it, as the shared lookups decode it.

    >>> from layers.gpkg.connection import decode_geometry
    >>> import shapely
    >>> decode_geometry(as_gpkg(shapely.to_wkb(shapely.Point(1, 2))))
    <POINT (1 2)>
    """
    return None if wkb is None else _GPKG_HEADER + bytes(wkb)


def placeholders(query: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` escaped).

    >>> placeholders("SELECT label FROM t WHERE key = ? AND note LIKE 'a%'")
    "SELECT label FROM t WHERE key = %s AND note LIKE 'a%%'"
    """
    return query.replace("%", "%%").replace("?", "%s")


def ident(name: str) -> pgsql.Identifier:
    """An SQL identifier, quoted by psycopg."""
    return pgsql.Identifier(name)


def redact(dsn: str) -> str:
    """A DSN without its password, for messages and the log.

    >>> redact("postgresql://kim:secret@db:5432/mf")
    'postgresql://kim:***@db:5432/mf'
    >>> redact("host=db password=secret dbname=mf")
    'host=db password=*** dbname=mf'
    """
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the database"
    if "password" not in info:
        return dsn
    secret = str(info["password"])
    return dsn.replace(f":{secret}@", ":***@").replace(f"password={secret}", "password=***")


def _configure(con: psycopg.Connection[Any]) -> None:
    """Prepare a new pooled connection (:data:`SESSION_SETTINGS`)."""
    con.execute(SESSION_SETTINGS)


class PostGISConnection:
    """A pool of connections to one PostGIS database.

    Parameters
    ----------
    dsn
        A libpq connection string or URI (``postgresql://…``); empty for libpq's ``PG*``
        variables alone.
    max_size
        Largest number of connections the pool opens.
    """

    def __init__(self, dsn: str, max_size: int = 8) -> None:
        self.dsn = dsn
        self.name = redact(dsn) if dsn else "the database (PG* variables)"
        self._pool: ConnectionPool | None = ConnectionPool(
            dsn,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "connect_timeout": 10},
            timeout=15,
            open=False,
            name="minfastighet",
            configure=_configure,
        )
        try:
            self._pool.open(wait=False)
        except psycopg.Error as err:  # a malformed DSN
            self._pool = None
            raise StoreUnavailable(f"cannot open {self.name}: {err}") from err

    @property
    def pool(self) -> ConnectionPool:
        """The pool; :class:`~layers.errors.StoreUnavailable` once closed."""
        if self._pool is None:
            raise StoreUnavailable("the layer store is closed")
        return self._pool

    def close(self) -> None:
        """Close every connection (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``work`` on a pooled connection, retried on a fresh one when the connection is lost.

        Raises
        ------
        StoreUnavailable
            The database cannot be reached (after the retries) or the query failed.
        """
        for attempt, pause in enumerate((*RETRY_PAUSES, None)):
            try:
                with self.pool.connection() as con:
                    return work(con)
            except (psycopg.OperationalError, PoolTimeout) as err:
                if pause is None or isinstance(err, PoolTimeout):
                    raise StoreUnavailable(f"{self.name} is unreachable: {err}") from err
                log.warning("lost the connection to %s (%s); retry %d", self.name, err, attempt + 1)
                time.sleep(pause)
            except psycopg.Error as err:
                raise StoreUnavailable(f"could not read {self.name}: {err}") from err
        raise AssertionError("unreachable")  # pragma: no cover

    def fetch(self, query: str | pgsql.Composable, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query with ``%s`` placeholders, in binary (WKB as bytes, no hex)."""
        return self.run(lambda con: con.execute(query, params, binary=True).fetchall())  # type: ignore[arg-type]  # psycopg types its literal-string query strictly; ours are built from constants and quoted identifiers

    # -- what the lookups shared with the GeoPackage backend call --------------------------

    def query(self, query: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query with SQLite's ``?`` placeholders. Search rows of one key come
        in the order they were written, as SQLite's index gives them (``seq`` breaks ties)."""
        return self.fetch(
            placeholders(query).replace(" ORDER BY key ", " ORDER BY key, seq "), params
        )

    def _geometry_rows(
        self, layer: str, columns: Sequence[str], where: str, params: Sequence[Any]
    ) -> list[Row]:
        names = pgsql.SQL(", ").join(ident(c) for c in columns)
        statement = pgsql.SQL(
            "SELECT ST_AsBinary(geom), {names} FROM {table} WHERE {where} ORDER BY fid"
        ).format(names=names, table=ident(layer), where=pgsql.SQL(where))
        return [(as_gpkg(blob), *rest) for blob, *rest in self.fetch(statement, params)]

    def where_equal(self, layer: str, columns: Sequence[str], key: str, value: Any) -> list[Row]:
        """Geometry (GeoPackage-encoded) and ``columns`` of the features whose ``key`` equals
        ``value``, by fid."""
        where = pgsql.SQL("{key} = %s").format(key=ident(key)).as_string(None)
        return self._geometry_rows(layer, columns, where, (value,))

    def in_bounds(self, layer: str, columns: Sequence[str], bounds: Bounds) -> list[Row]:
        """Geometry (GeoPackage-encoded) and ``columns`` of the features whose bounding box
        meets ``bounds`` (``&&``: from the GiST index), by fid."""
        return self._geometry_rows(
            layer, columns, f"geom && ST_MakeEnvelope(%s, %s, %s, %s, {SRID})", bounds
        )


__all__ = ["SRID", "PostGISConnection", "as_gpkg", "ident", "placeholders", "redact"]
