"""The GeoPackage backend of the layer store, one concern per module.

- :mod:`~layers.gpkg.connection`: the read-only connection to the file, its geometry columns
  and the decoding of geometry blobs.
- :mod:`~layers.gpkg.search`: the attribute indexes and the search table (building them, and
  the queries that use them: kommuner, trakter, suggestions).
- :mod:`~layers.gpkg.lookups`: properties, addresses, buildings and plans.
- :mod:`~layers.gpkg.features`: any layer's description and pages of features.
- :mod:`~layers.gpkg.imports`: the record of each layer's last import.
- :mod:`~layers.gpkg.write`: the atomic replacement of a layer.

:class:`layers.geopackage.GeoPackageStore` composes them behind :class:`layers.store.LayerStore`.
Every part that reads gets the connection it reads through; none reaches into another's state.
"""
