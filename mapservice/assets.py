"""Front-end assets installed from a package registry and served by the service itself.

Leaflet comes from the ``xstatic-leaflet`` package on PyPI (the same Leaflet 1.9.3 that folium
is written for), installed with the service's other dependencies: nothing is copied into this
repository and no page loads anything from another origin.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
from flask import Blueprint, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")

#: Registry-installed asset packages: name → (directory, version).
PACKAGES = {"leaflet": (Path(xleaflet.BASE_DIR), xleaflet.VERSION)}

ONE_YEAR = 365 * 24 * 3600


@bp.get("/<any(leaflet):package>/<path:filename>")
def asset(package: str, filename: str):
    """A file of an installed asset package (safe join: no escaping its directory)."""
    directory, _version = PACKAGES[package]
    return send_from_directory(directory, filename, max_age=ONE_YEAR)
