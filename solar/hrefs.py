"""Where a solar catalog may point: local files in its data directory, nothing else.

A STAC catalog is JSON that anybody can write, and every href in it is a file that GDAL or
pystac would open: a crafted catalog could name ``/etc/passwd``, ``../../elsewhere`` or
``http://…`` (pystac would fetch it, GDAL too through ``/vsicurl/``). So every href of a catalog,
its links (children, items) as well as its assets, must resolve to a local file inside the
catalog's **root**: the folder that holds the catalog's own folder (the data directory, with
``stac/catalog.json`` and the COGs in ``solar/``). Anything else is a
:class:`~solar.errors.CatalogError`.

>>> root = Path("/srv/data")
>>> confined("/srv/data/stac/solkarta/collection.json", root)
PosixPath('/srv/data/stac/solkarta/collection.json')
>>> confined("/srv/data/stac/../../../etc/passwd", root)
Traceback (most recent call last):
...
solar.errors.CatalogError: the solar catalog names '/srv/data/stac/../../../etc/passwd', ...
"""

from __future__ import annotations

import os
from pathlib import Path

from pystac.stac_io import DefaultStacIO

from solar.errors import CatalogError

__all__ = ["ConfinedIO", "catalog_root", "confined"]


def catalog_root(catalog_path: str | os.PathLike[str]) -> Path:
    """The folder every href of the catalog at ``catalog_path`` must lie in.

    >>> catalog_root("/srv/data/stac/catalog.json")
    PosixPath('/srv/data')
    """
    return Path(catalog_path).resolve().parent.parent


def confined(href: str, root: Path) -> Path:
    """``href`` (absolute, as pystac resolves it) as a local path inside ``root``.

    Raises
    ------
    CatalogError
        A URL, a GDAL virtual file system path or a path outside ``root`` (after ``..`` and
        symbolic links are resolved).
    """
    if "://" in href or href.startswith("/vsi") or not os.path.isabs(href):
        raise CatalogError(
            f"the solar catalog names {href!r}, which is not a local file; a catalog names "
            f"files inside {root} only"
        )
    path = Path(href).resolve()
    if not path.is_relative_to(root.resolve()):
        raise CatalogError(
            f"the solar catalog names {href!r}, outside its data directory; a catalog names "
            f"files inside {root} only"
        )
    return path


class ConfinedIO(DefaultStacIO):
    """pystac's reader, reading only the catalog's own files (see :func:`confined`).

    Parameters
    ----------
    root
        The folder every file read must lie in (:func:`catalog_root`).
    """

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def read_text_from_href(self, href: str) -> str:
        """The text of a local file inside the root; :class:`CatalogError` for any other."""
        text: str = super().read_text_from_href(str(confined(href, self.root)))
        return text
