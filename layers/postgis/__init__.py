"""The PostGIS backend of the layer store, one concern per module.

- :mod:`~layers.postgis.connection`: the connection pool, retries on a lost connection, rows.
- :mod:`~layers.postgis.migrations`: the versioned schema (``minfastighet db init|upgrade``).
- :mod:`~layers.postgis.write`: the atomic replacement of a layer (COPY, check, index, swap).
- :mod:`~layers.postgis.features`: any layer's description and pages of features.
- :mod:`~layers.postgis.lookups`: properties, addresses, buildings and plans.
- :mod:`~layers.postgis.copy`: a GeoPackage store copied into PostGIS (``db copy-from``).

:class:`layers.postgis.store.PostGISStore` composes them behind :class:`layers.store.LayerStore`.
"""
