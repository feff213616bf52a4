"""``minfastighet kommun build``: a municipality's national deliveries → a data directory.

:mod:`~mapservice.kommun.delivery` finds the files it knows in a delivery folder,
:mod:`~mapservice.kommun.build` runs the stages (layers, surface models, solar map, roof faces,
manifest) resumably and swaps the result in, and :mod:`~mapservice.kommun.report` writes the
validation report (JSON and HTML) a GIS officer acts on. It lives in :mod:`mapservice` because it
composes :mod:`layers`, :mod:`solar` and :mod:`data`, which never import each other.
"""
