"""Feature access for the GeoPackage store: layer descriptions and pages of features.

A page with a box goes to the layer's R-tree for candidates; a candidate whose envelope lies
inside the box matches without reading its geometry, the others are tested exactly (the
geometry blob is read only for them, through a ``CASE`` in the same query). Filters are
equalities on indexed attributes. Without a box, ``count(*)`` and ``LIMIT``/``OFFSET`` in row
order answer from the table and its indexes. Rows are always in ``fid`` order, so pages are
stable.
"""

from __future__ import annotations

import json
import sqlite3

import shapely

from layers.errors import InvalidQuery, NotFound, UnknownLayer
from layers.features import (
    ID_COLUMNS,
    QUERYABLES,
    TITLES,
    Attribute,
    FeaturePage,
    FeatureQuery,
    FeatureRecord,
    LayerInfo,
    json_type,
)

#: The table the importer records its last report per layer in.
IMPORTS_TABLE = "layers_imports"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class GeoPackageFeatures:
    """Mixed into :class:`~layers.geopackage.GeoPackageStore` (uses its ``_geom`` and
    ``_query``)."""

    _geom: dict[str, str]
    _layer_cache: dict[str, LayerInfo]

    def layer_names(self) -> tuple[str, ...]:
        known = [name for name in ID_COLUMNS if name in self._geom]
        return tuple(known + sorted(set(self._geom) - set(known)))

    def layer_info(self, layer: str) -> LayerInfo:
        cache = self.__dict__.setdefault("_layer_cache", {})
        if layer not in cache:
            cache[layer] = self._describe(layer)
        return cache[layer]

    def _describe(self, layer: str) -> LayerInfo:
        if layer not in self._geom:
            raise UnknownLayer(f"no layer {layer!r}; the store has {', '.join(self.layer_names())}")
        geom = self._geom[layer]
        columns = self._query(f"PRAGMA table_info({_quote(layer)})")
        attributes = tuple(
            Attribute(name, json_type(kind))
            for _, name, kind, *_ in columns
            if name not in ("fid", geom)
        )
        names = {a.name for a in attributes}
        ((geometry_type,),) = self._query(
            "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        )
        ((count,),) = self._query(f"SELECT count(*) FROM {_quote(layer)}")
        extent = self._query(
            f"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "
            f"{_quote(f'rtree_{layer}_{geom}')}"
        )[0]
        change = self._query("SELECT last_change FROM gpkg_contents WHERE table_name = ?", (layer,))
        title, description = TITLES.get(layer, (layer, layer))
        id_column = ID_COLUMNS.get(layer, "fid")
        return LayerInfo(
            layer,
            title,
            description,
            geometry_type.upper(),
            int(count),
            None if extent[0] is None else tuple(float(v) for v in extent),
            attributes,
            tuple(q for q in QUERYABLES.get(layer, ()) if q in names),
            id_column if id_column in names else "fid",
            change[0][0] if change else None,
            self._last_import(layer),
        )

    def _last_import(self, layer: str) -> dict | None:
        exists = self._query("SELECT 1 FROM sqlite_master WHERE name = ?", (IMPORTS_TABLE,))
        if not exists:
            return None
        rows = self._query(
            f"SELECT imported_at, report FROM {IMPORTS_TABLE} WHERE layer = ?", (layer,)
        )
        if not rows:
            return None
        return {"imported_at": rows[0][0], **json.loads(rows[0][1])}

    # -- pages -------------------------------------------------------------------------------

    def _where(self, info: LayerInfo, filters, alias: str = "") -> tuple[str, list]:
        clauses, params = [], []
        for name, value in filters:
            if name not in info.queryables:
                raise InvalidQuery(
                    f"{name!r} is not a queryable of {info.id}; use "
                    f"{', '.join(info.queryables) or 'none'}"
                )
            clauses.append(f"{alias}{_quote(name)} = ?")
            params.append(value)
        return " AND ".join(clauses), params

    def feature_page(self, query: FeatureQuery) -> FeaturePage:
        info = self.layer_info(query.layer)
        if query.bounds is None:
            where, params = self._where(info, query.filters)
            sql_where = f" WHERE {where}" if where else ""
            ((matched,),) = self._query(
                f"SELECT count(*) FROM {_quote(info.id)}{sql_where}", params
            )
            rows = self._rows(
                info,
                f"{sql_where} ORDER BY fid LIMIT ? OFFSET ?",
                [*params, query.limit, query.offset],
            )
            return FeaturePage(tuple(rows), int(matched), query)
        fids = self._matching(info, query)
        page = fids[query.offset : query.offset + query.limit]
        rows = (
            self._rows(info, f" WHERE fid IN ({', '.join('?' * len(page))}) ORDER BY fid", page)
            if page
            else []
        )
        return FeaturePage(tuple(rows), len(fids), query)

    def _matching(self, info: LayerInfo, query: FeatureQuery) -> list[int]:
        geom = _quote(self._geom[info.id])
        minx, miny, maxx, maxy = query.bounds
        where, params = self._where(info, query.filters, "t.")
        sql = (
            f"SELECT t.fid, CASE WHEN r.minx >= ? AND r.miny >= ? AND r.maxx <= ? AND "
            f"r.maxy <= ? THEN NULL ELSE t.{geom} END "
            f"FROM {_quote(f'rtree_{info.id}_{self._geom[info.id]}')} r "
            f"JOIN {_quote(info.id)} t ON t.fid = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
            + (f" AND {where}" if where else "")
            + " ORDER BY t.fid"
        )
        rows = self._query(sql, (minx, miny, maxx, maxy, minx, maxx, miny, maxy, *params))
        box = shapely.box(minx, miny, maxx, maxy)
        shapely.prepare(box)
        edge = [(i, blob) for i, (_, blob) in enumerate(rows) if blob is not None]
        keep = [True] * len(rows)
        if edge:
            from layers.geopackage import decode_geometry

            shapes = [decode_geometry(blob) for _, blob in edge]
            hits = shapely.intersects(box, shapes)
            for (i, _), hit in zip(edge, hits, strict=True):
                keep[i] = bool(hit)
        return [fid for (fid, _), ok in zip(rows, keep, strict=True) if ok]

    def _rows(self, info: LayerInfo, tail: str, params) -> list[FeatureRecord]:
        from layers.geopackage import decode_geometry

        names = [a.name for a in info.attributes]
        columns = ", ".join(["fid", _quote(self._geom[info.id]), *map(_quote, names)])
        out = []
        for fid, blob, *values in self._query(
            f"SELECT {columns} FROM {_quote(info.id)}{tail}", params
        ):
            properties = dict(zip(names, values, strict=True))
            ident = fid if info.id_column == "fid" else properties.get(info.id_column)
            out.append(FeatureRecord(str(ident), properties, decode_geometry(blob)))
        return out

    def feature(self, layer: str, feature_id: str) -> FeatureRecord:
        info = self.layer_info(layer)
        if info.id_column == "fid":
            try:
                key: object = int(feature_id)
            except ValueError:
                key = None
        else:
            key = feature_id
        rows = (
            []
            if key is None
            else self._rows(info, f" WHERE {_quote(info.id_column)} = ? LIMIT 1", [key])
        )
        if not rows:
            raise NotFound(f"no feature {feature_id!r} in {layer}")
        return rows[0]


def record_import(con: sqlite3.Connection, layer: str, imported_at: str, report: dict) -> None:
    """Record the report of a layer's import in the store (inside the caller's transaction)."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {IMPORTS_TABLE} (layer TEXT PRIMARY KEY, "
        "imported_at TEXT NOT NULL, report TEXT NOT NULL)"
    )
    con.execute(
        f"INSERT OR REPLACE INTO {IMPORTS_TABLE} VALUES (?, ?, ?)",
        (layer, imported_at, json.dumps(report, ensure_ascii=False)),
    )


__all__ = ["IMPORTS_TABLE", "GeoPackageFeatures", "record_import"]
