"""Readers for the national data products, in their published schemas.

One module per product: :mod:`~layers.national.fastighetsindelning` (Lantmäteriet's register
units), :mod:`~layers.national.byggnad` (Byggnad Nedladdning, vektor and the Topografi building
layers), :mod:`~layers.national.adress` (Belägenhetsadress Nedladdning, vektor) and
:mod:`~layers.national.detaljplan` (the national detaljplan specification 4.1, JSON).
:mod:`~layers.national.products` recognises a product by its columns and adapts it for the
importer; :mod:`~layers.national.link` links buildings and addresses to register units. The
products' schemas and sources are in docs/ONBOARDING.md. (This package imports nothing, so
importing one reader loads only what it needs.)
"""
