"""Front-end assets installed from a package registry and served by the service itself.

Leaflet comes from the ``xstatic-leaflet`` package on PyPI (the same Leaflet 1.9.3 that folium
is written for), installed with the service's other dependencies: nothing is copied into this
repository and no page loads anything from another origin. proj4 (coordinates in SWEREF 99 and
measuring in the layer viewer) comes from the npm registry: an installed package carries it in
``mapservice/web/vendor/`` (setup.py's build step runs ``npm ci`` when the wheel is built); a
checkout installed with ``pip install -e .`` serves its own ``node_modules`` (``npm ci``).

:func:`init_app` checks at start that every file the pages load is there: a missing one stops
the service with :class:`AssetsMissing`, which says how to install it, instead of serving a
viewer without a map.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
from flask import Blueprint, Flask, Response, current_app, send_from_directory

from mapservice import ConfigError

bp = Blueprint("assets", __name__, url_prefix="/assets")

#: npm packages copied into the installed package when its wheel is built (setup.py).
VENDOR = Path(__file__).resolve().parent / "vendor"
#: npm packages of a checkout (``npm ci`` installs them next to the code; see README).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"

ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class AssetPackage:
    """A registry package the pages load files of: where it is found, in order, and how it
    gets there when it is missing (``install``)."""

    name: str
    folders: tuple[Path, ...]
    files: tuple[str, ...]
    install: str

    @property
    def folder(self) -> Path | None:
        """The first of :attr:`folders` that holds every one of :attr:`files`, or None."""
        return next((d for d in self.folders if all((d / f).is_file() for f in self.files)), None)


#: Registry-installed asset packages by the name in their URL.
PACKAGES = {
    "leaflet": AssetPackage(
        "leaflet",
        (Path(xleaflet.BASE_DIR),),
        ("leaflet.js", "leaflet.css"),
        "pip install xstatic-leaflet (a dependency of Min fastighet)",
    ),
    "proj4": AssetPackage(
        "proj4",
        (VENDOR / "proj4", NODE_MODULES / "proj4" / "dist"),
        ("proj4.js",),
        "in a checkout run `npm ci --omit=dev` in its root; or install Min fastighet from a "
        "wheel (`pip wheel .` runs npm and puts proj4 into the package)",
    ),
}


class AssetsMissing(ConfigError):
    """A file the pages load is not installed (the message says how to install it)."""


def check_assets(packages: dict[str, AssetPackage] | None = None) -> dict[str, Path]:
    """The folder of every asset package, or :class:`AssetsMissing` naming what is missing.

    >>> sorted(check_assets())
    ['leaflet', 'proj4']
    >>> try:
    ...     check_assets({"x": AssetPackage("x", (Path("/nowhere"),), ("x.js",), "npm ci")})
    ... except AssetsMissing as err:
    ...     print(err)
    the front-end package x is not installed (x.js not in /nowhere): npm ci
    """
    folders, missing = {}, []
    for key, package in (PACKAGES if packages is None else packages).items():
        folder = package.folder
        if folder is None:
            looked = ", ".join(str(d) for d in package.folders)
            files = ", ".join(package.files)
            missing.append(
                f"the front-end package {package.name} is not installed ({files} not in "
                f"{looked}): {package.install}"
            )
        else:
            folders[key] = folder
    if missing:
        raise AssetsMissing("; ".join(missing))
    return folders


def init_app(app: Flask) -> None:
    """Find every asset package (or stop with :class:`AssetsMissing`) and serve them."""
    app.extensions["minfastighet.assets"] = check_assets()
    app.register_blueprint(bp)


@bp.get("/<any(leaflet, proj4):package>/<path:filename>")
def asset(package: str, filename: str) -> Response:
    """A file of an installed asset package (safe join: no escaping its directory)."""
    directory = current_app.extensions["minfastighet.assets"][package]
    return send_from_directory(directory, filename, max_age=ONE_YEAR)
