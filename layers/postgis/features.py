"""Feature access for the PostGIS store: layer descriptions and pages of features.

A layer's description comes from its row in ``layers_meta`` (written in the same transaction
as the layer) and is cached until the layer's ``generation`` changes. A page with a box asks
``geom && box``, which the GiST index answers, and tests ``ST_Intersects`` only for the
features whose own box is not inside it (``geom @ box``); filters are equalities on indexed
attributes; free text is matched in Python on the layer's text fields, read with its
generation, and its hits' ``fid`` go into the page's query; rows come in ``fid`` order (the
order the layer was written in, as a GeoPackage's), so pages are stable and equal the
GeoPackage store's.

A page is one query, so one snapshot: the layer's generation, the number of features matched
and the page's rows together; with a box the exact test runs once, its hits' ``fid`` kept for
the count and the page. It is built from the cached description; when the generation it
reads is not that description's (a swap since), the description is read afresh and the page
asked again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
import shapely
from psycopg import sql as pgsql

from layers.errors import NotFound, StoreUnavailable, UnknownLayer
from layers.features import (
    ID_COLUMNS,
    QUERYABLES,
    TITLES,
    Attribute,
    FeaturePage,
    FeatureQuery,
    FeatureRecord,
    LayerInfo,
    check_queryable,
    feature_key,
    json_type,
)
from layers.postgis.connection import SRID, PostGISConnection, ident
from layers.text_search import text_fields, text_matches

_BOX = f"ST_MakeEnvelope(%s, %s, %s, %s, {SRID})"
#: Features meeting a box: from the GiST index, the exact test only for those whose own box
#: is not inside it (as the GeoPackage store tests only the candidates on the box's edge).
_IN_BOX = f"geom && {_BOX} AND (geom @ {_BOX} OR ST_Intersects(geom, {_BOX}))"
#: A page: the layer's generation, the number matched and the page's rows, in one snapshot.
_PAGE = (
    "SELECT (SELECT generation FROM layers_meta WHERE layer = %s), "
    "(SELECT count(*) FROM {t}{w}), p.* FROM (SELECT 1) AS one LEFT JOIN LATERAL "
    "(SELECT {c} FROM {t}{w} ORDER BY fid LIMIT %s OFFSET %s) AS p ON true"
)
#: The same for a box: the exact test runs once, the count and the page read its hits' fids.
_BOXED_PAGE = (
    "WITH hits AS MATERIALIZED (SELECT fid FROM {t}{w}) "
    "SELECT (SELECT generation FROM layers_meta WHERE layer = %s), "
    "(SELECT count(*) FROM hits), p.* FROM (SELECT 1) AS one LEFT JOIN LATERAL "
    "(SELECT {c} FROM {t} WHERE fid IN (SELECT fid FROM hits ORDER BY fid LIMIT %s OFFSET %s) "
    "ORDER BY fid) AS p ON true"
)


class PostGISFeatures:
    """The feature access of :class:`~layers.store.LayerStore` over a pool.

    Parameters
    ----------
    connection
        The store's connection pool.
    """

    def __init__(self, connection: PostGISConnection) -> None:
        self._connection = connection
        self._layers: dict[str, tuple[int, LayerInfo]] = {}

    def layer_names(self) -> tuple[str, ...]:
        """Every layer, the known ones first in their usual order, then the rest by name."""
        layers = {name for (name,) in self._connection.fetch("SELECT layer FROM layers_meta")}
        known = [name for name in ID_COLUMNS if name in layers]
        return tuple(known + sorted(layers - set(known)))

    def layer_info(self, layer: str) -> LayerInfo:
        """What a layer holds; :class:`UnknownLayer`."""
        rows = self._connection.fetch(
            "SELECT m.generation, m.geometry_type, m.columns, m.extent, m.feature_count, "
            "m.last_change, i.imported_at, i.report FROM layers_meta m "
            "LEFT JOIN layers_imports i ON i.layer = m.layer WHERE m.layer = %s",
            (layer,),
        )
        if not rows:
            raise UnknownLayer(f"no layer {layer!r}; the store has {', '.join(self.layer_names())}")
        generation, *described = rows[0]
        cached = self._layers.get(layer)
        if cached is None or cached[0] != generation:
            cached = (int(generation), _describe(layer, *described))
            self._layers[layer] = cached
        return cached[1]

    def cached_info(self, layer: str) -> LayerInfo | None:
        """The description last read of ``layer`` (None before the first): a page built with it
        checks the layer's generation in its own query and reads it afresh after a swap."""
        cached = self._layers.get(layer)
        return None if cached is None else cached[1]

    # -- pages -------------------------------------------------------------------------------

    @staticmethod
    def _where(
        info: LayerInfo, filters: Sequence[tuple[str, Any]]
    ) -> tuple[list[pgsql.Composable], list[Any]]:
        clauses: list[pgsql.Composable] = []
        params: list[Any] = []
        for name, value in filters:
            check_queryable(info, name)
            clauses.append(pgsql.SQL("{} = %s").format(ident(name)))
            params.append(value)
        return clauses, params

    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        """One page of a layer's features, in ``fid`` order, and how many match in all."""
        for attempt in range(3):
            if attempt or query.layer not in self._layers:
                self.layer_info(query.layer)  # read afresh: a swap since, or never read
            generation, info = self._layers[query.layer]
            try:
                page = self._page(info, query, generation)
            except StoreUnavailable as err:
                if not isinstance(err.__cause__, psycopg.errors.UndefinedColumn):
                    raise
                page = None  # the layer's columns changed since its description was read
            if page is not None:
                return page
        raise StoreUnavailable(f"the {query.layer} layer is being swapped repeatedly; try again")

    def _page(self, info: LayerInfo, query: FeatureQuery, generation: int) -> FeaturePage | None:
        """The page in one query; None when the layer's generation is not ``generation``."""
        clauses, params = self._where(info, query.filters)
        if query.text:
            fids = self._text_fids(info, query.text, generation)
            if fids is None:
                return None
            clauses.append(pgsql.SQL("fid = ANY(%s)"))
            params.append(fids)
        if query.bounds is not None:  # the exact test only where the box's edge crosses
            clauses = [pgsql.SQL(_IN_BOX), *clauses]
            params = [*query.bounds, *query.bounds, *query.bounds, *params]
        where = (
            pgsql.SQL(" WHERE ") + pgsql.SQL(" AND ").join(clauses) if clauses else pgsql.SQL("")
        )
        table = ident(info.id)
        columns = [pgsql.SQL("fid, ST_AsBinary(geom)"), *(ident(a.name) for a in info.attributes)]
        if query.bounds is None:  # the count and the page each from the indexes
            statement = pgsql.SQL(_PAGE)
            values = [info.id, *params, *params, query.limit, query.offset]
        else:  # the box tested once: its hits' fids kept for the count and the page
            statement = pgsql.SQL(_BOXED_PAGE)
            values = [*params, info.id, query.limit, query.offset]
        rows = self._connection.fetch(
            statement.format(t=table, w=where, c=pgsql.SQL(", ").join(columns)), values
        )
        if rows[0][0] != generation:
            return None
        found = [row[2:] for row in rows if row[2] is not None]
        return FeaturePage(tuple(_records(info, found)), int(rows[0][1]), query)

    def _text_fids(
        self, info: LayerInfo, terms: tuple[str, ...], generation: int
    ) -> list[int] | None:
        """The fids of the features whose text fields hold any of ``terms``, read with the
        layer's generation; None when that is not ``generation`` (a swap since)."""
        fields = text_fields(info.id, (a.name for a in info.attributes))
        if not fields:
            return []
        statement = pgsql.SQL(
            "SELECT (SELECT generation FROM layers_meta WHERE layer = %s), fid, {} FROM {}"
        ).format(pgsql.SQL(", ").join(map(ident, fields)), ident(info.id))
        rows = self._connection.fetch(statement, [info.id])
        if rows and rows[0][0] != generation:
            return None
        return [row[1] for row in rows if text_matches(terms, tuple(row[2:]))]

    def _rows(
        self, info: LayerInfo, tail: pgsql.Composable, params: Sequence[Any]
    ) -> list[FeatureRecord]:
        names = [a.name for a in info.attributes]
        columns = pgsql.SQL(", ").join([pgsql.SQL("fid, ST_AsBinary(geom)"), *map(ident, names)])
        statement = pgsql.SQL("SELECT {} FROM {}").format(columns, ident(info.id)) + tail
        return _records(info, self._connection.fetch(statement, params))

    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        """One feature by its id; :class:`NotFound`."""
        info = self.layer_info(layer)
        key = feature_key(info.id_column, feature_id)
        rows = (
            []
            if key is None
            else self._rows(
                info,
                pgsql.SQL(" WHERE {} = %s ORDER BY fid LIMIT 1").format(ident(info.id_column)),
                [key],
            )
        )
        if not rows:
            raise NotFound(f"no feature {feature_id!r} in {layer}")
        return rows[0]


def _records(info: LayerInfo, rows: Sequence[Sequence[Any]]) -> list[FeatureRecord]:
    """Rows of (fid, WKB, the attributes in order) as features, the geometries decoded at once."""
    names = [a.name for a in info.attributes]
    geometries = shapely.from_wkb([row[1] for row in rows])
    out = []
    for (fid, _, *values), geometry in zip(rows, geometries, strict=True):
        properties = dict(zip(names, values, strict=True))
        key = fid if info.id_column == "fid" else properties.get(info.id_column)
        out.append(FeatureRecord(str(key), properties, geometry))
    return out


def _describe(
    layer: str,
    geometry_type: str,
    columns: Any,
    extent: list[float] | None,
    count: int,
    last_change: str,
    imported_at: str | None,
    report: str | None,
) -> LayerInfo:
    declared = json.loads(columns) if isinstance(columns, str) else columns
    attributes = tuple(Attribute(name, json_type(kind)) for name, kind in declared)
    names = {a.name for a in attributes}
    title, description = TITLES.get(layer, (layer, layer))
    id_column = ID_COLUMNS.get(layer, "fid")
    last_import = (
        None if imported_at is None else {"imported_at": imported_at, **json.loads(report or "{}")}
    )
    return LayerInfo(
        layer,
        title,
        description,
        geometry_type.upper(),
        int(count),
        None if extent is None else (extent[0], extent[1], extent[2], extent[3]),
        attributes,
        tuple(q for q in QUERYABLES.get(layer, ()) if q in names),
        id_column if id_column in names else "fid",
        last_change,
        last_import,
    )


__all__ = ["PostGISFeatures"]
