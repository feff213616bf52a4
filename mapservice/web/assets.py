"""Front-end assets installed from a package registry and served by the service itself.

Leaflet comes from the ``xstatic-leaflet`` package on PyPI (the same Leaflet 1.9.3 that folium
is written for), installed with the service's other dependencies: nothing is copied into this
repository and no page loads anything from another origin. proj4 (coordinates in SWEREF 99 and
measuring in the layer viewer) comes from the npm registry: ``npm ci`` installs it.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
from flask import Blueprint, Response, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")

#: npm packages the pages use (``npm ci`` installs them next to the code; see README).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"

#: Registry-installed asset packages: name → (directory, version).
PACKAGES = {
    "leaflet": (Path(xleaflet.BASE_DIR), xleaflet.VERSION),
    "proj4": (NODE_MODULES / "proj4" / "dist", "2"),
}

ONE_YEAR = 365 * 24 * 3600


@bp.get("/<any(leaflet, proj4):package>/<path:filename>")
def asset(package: str, filename: str) -> Response:
    """A file of an installed asset package (safe join: no escaping its directory)."""
    directory, _version = PACKAGES[package]
    return send_from_directory(directory, filename, max_age=ONE_YEAR)
