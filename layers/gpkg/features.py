"""Feature access for the GeoPackage store: layer descriptions and pages of features.

A page with a box goes to the layer's R-tree for candidates; a candidate whose envelope lies
inside the box matches without reading its geometry, the others are tested exactly (the
geometry blob is read only for them, through a ``CASE`` in the same query). Filters are
equalities on indexed attributes; free text is matched in Python on the layer's text fields
(:mod:`layers.text_search`), its hits' ``fid`` handed to the query as one JSON array. Without a
box, ``count(*)`` and ``LIMIT``/``OFFSET`` in row order answer from the table and its indexes.
Rows are always in ``fid`` order, so pages are stable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import shapely

from layers.errors import NotFound, UnknownLayer
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
from layers.gpkg.connection import GeoPackageConnection, decode_geometry, geometry_of, quote
from layers.gpkg.imports import last_import
from layers.text_search import text_fields, text_matches


def _bounds(values: Sequence[Any]) -> tuple[float, float, float, float]:
    """Four numbers as a box.

    >>> _bounds((1, 2, 3.5, 4))
    (1.0, 2.0, 3.5, 4.0)
    """
    minx, miny, maxx, maxy = (float(v) for v in values)
    return minx, miny, maxx, maxy


class GeoPackageFeatures:
    """The feature access of :class:`~layers.store.LayerStore` over one connection.

    Parameters
    ----------
    connection
        The store's connection; layer descriptions are cached for its lifetime.
    """

    def __init__(self, connection: GeoPackageConnection) -> None:
        self._connection = connection
        self._layers: dict[str, LayerInfo] = {}

    def layer_names(self) -> tuple[str, ...]:
        """Every layer, the known ones first in their usual order, then the rest by name."""
        layers = self._connection.geometry_columns
        known = [name for name in ID_COLUMNS if name in layers]
        return tuple(known + sorted(set(layers) - set(known)))

    def layer_info(self, layer: str) -> LayerInfo:
        """What a layer holds; :class:`UnknownLayer`."""
        if layer not in self._layers:
            self._layers[layer] = self._describe(layer)
        return self._layers[layer]

    def _describe(self, layer: str) -> LayerInfo:
        connection = self._connection
        if layer not in connection.geometry_columns:
            raise UnknownLayer(f"no layer {layer!r}; the store has {', '.join(self.layer_names())}")
        geom = connection.geometry_columns[layer]
        columns = connection.query(f"PRAGMA table_info({quote(layer)})")
        attributes = tuple(
            Attribute(name, json_type(kind))
            for _, name, kind, *_ in columns
            if name not in ("fid", geom)
        )
        names = {a.name for a in attributes}
        ((geometry_type,),) = connection.query(
            "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        )
        ((count,),) = connection.query(f"SELECT count(*) FROM {quote(layer)}")
        extent = connection.query(
            "SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "
            f"{quote(connection.rtree(layer))}"
        )[0]
        change = connection.query(
            "SELECT last_change FROM gpkg_contents WHERE table_name = ?", (layer,)
        )
        title, description = TITLES.get(layer, (layer, layer))
        id_column = ID_COLUMNS.get(layer, "fid")
        return LayerInfo(
            layer,
            title,
            description,
            geometry_type.upper(),
            int(count),
            None if extent[0] is None else _bounds(extent),
            attributes,
            tuple(q for q in QUERYABLES.get(layer, ()) if q in names),
            id_column if id_column in names else "fid",
            change[0][0] if change else None,
            last_import(connection, layer),
        )

    # -- pages -------------------------------------------------------------------------------

    def _text_fids(self, info: LayerInfo, terms: tuple[str, ...]) -> list[int]:
        """The fids of the features whose text fields hold any of ``terms``."""
        fields = text_fields(info.id, (a.name for a in info.attributes))
        if not fields:
            return []
        rows = self._connection.query(
            f"SELECT fid, {', '.join(map(quote, fields))} FROM {quote(info.id)}", ()
        )
        return [row[0] for row in rows if text_matches(terms, tuple(row[1:]))]

    def _where(
        self, info: LayerInfo, query: FeatureQuery, alias: str = ""
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if query.text:  # the matches as one JSON array: no limit on the number of variables
            clauses.append(f"{alias}fid IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self._text_fids(info, query.text)))
        for name, value in query.filters:
            check_queryable(info, name)
            clauses.append(f"{alias}{quote(name)} = ?")
            params.append(value)
        return " AND ".join(clauses), params

    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        """One page of a layer's features, in ``fid`` order, and how many match in all."""
        info = self.layer_info(query.layer)
        if query.bounds is None:
            where, params = self._where(info, query)
            sql_where = f" WHERE {where}" if where else ""
            ((matched,),) = self._connection.query(
                f"SELECT count(*) FROM {quote(info.id)}{sql_where}", params
            )
            rows = self._rows(
                info,
                f"{sql_where} ORDER BY fid LIMIT ? OFFSET ?",
                [*params, query.limit, query.offset],
            )
            return FeaturePage(tuple(rows), int(matched), query)
        fids = self._matching(info, query.bounds, query)
        page = fids[query.offset : query.offset + query.limit]
        rows = (
            self._rows(info, f" WHERE fid IN ({', '.join('?' * len(page))}) ORDER BY fid", page)
            if page
            else []
        )
        return FeaturePage(tuple(rows), len(fids), query)

    def _matching(
        self,
        info: LayerInfo,
        bounds: tuple[float, float, float, float],
        query: FeatureQuery,
    ) -> list[int]:
        connection = self._connection
        geom = quote(connection.geometry_columns[info.id])
        minx, miny, maxx, maxy = bounds
        where, params = self._where(info, query, "t.")
        sql = (
            f"SELECT t.fid, CASE WHEN r.minx >= ? AND r.miny >= ? AND r.maxx <= ? AND "
            f"r.maxy <= ? THEN NULL ELSE t.{geom} END "
            f"FROM {quote(connection.rtree(info.id))} r "
            f"JOIN {quote(info.id)} t ON t.fid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
            + (f" AND {where}" if where else "")
            + " ORDER BY t.fid"
        )
        rows = connection.query(sql, (minx, miny, maxx, maxy, minx, maxx, miny, maxy, *params))
        box = shapely.box(minx, miny, maxx, maxy)
        shapely.prepare(box)
        edge = [(i, blob) for i, (_, blob) in enumerate(rows) if blob is not None]
        keep = [True] * len(rows)
        if edge:
            shapes = [geometry_of(blob) for _, blob in edge]
            hits = shapely.intersects(box, shapes)
            for (i, _), hit in zip(edge, hits, strict=True):
                keep[i] = bool(hit)
        return [fid for (fid, _), ok in zip(rows, keep, strict=True) if ok]

    def _rows(self, info: LayerInfo, tail: str, params: Sequence[Any]) -> list[FeatureRecord]:
        names = [a.name for a in info.attributes]
        geom = self._connection.geometry_columns[info.id]
        columns = ", ".join(["fid", quote(geom), *map(quote, names)])
        out = []
        for fid, blob, *values in self._connection.query(
            f"SELECT {columns} FROM {quote(info.id)}{tail}", params
        ):
            properties = dict(zip(names, values, strict=True))
            ident = fid if info.id_column == "fid" else properties.get(info.id_column)
            out.append(FeatureRecord(str(ident), properties, decode_geometry(blob)))
        return out

    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        """One feature by its id; :class:`NotFound`."""
        info = self.layer_info(layer)
        key = feature_key(info.id_column, feature_id)
        rows = (
            []
            if key is None
            else self._rows(info, f" WHERE {quote(info.id_column)} = ? LIMIT 1", [key])
        )
        if not rows:
            raise NotFound(f"no feature {feature_id!r} in {layer}")
        return rows[0]


__all__ = ["GeoPackageFeatures"]
