"""The web service's rooms: one blueprint per concern, and what the views share.

``pages`` (start page, search, accessibility), ``property_page`` (the owner's report), ``api``
(JSON API), ``ogc`` (OGC API – Features), ``viewer`` (``/karta``), ``solar_tiles``, ``health``
and ``assets`` are thin views over :mod:`layers`, :mod:`solar` and :mod:`mapservice.report`.
:func:`mapservice.create_app` registers them; this package is the only one that imports Flask.
"""
