"""The one typed settings object of Min fastighet.

Values come, in rising priority, from the defaults below, ``MINFASTIGHET_*`` environment
variables (``MINFASTIGHET_DATA_DIR=/srv/minfastighet``) and the mapping handed to
:func:`mapservice.create_app`. No other module reads the environment.

>>> from mapservice.settings import Settings
>>> Settings(data_dir=".").search_limit
10
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from data.dataset import GPKG_NAME, SOLAR_CATALOG

#: Where ``minfastighet sample-data`` puts the sample municipality and the service looks for its
#: data by default: ``data/sample`` under the working directory (the repository's root in the
#: README's Quick start), never inside the installed package.
DEFAULT_DATA_DIR = Path("data") / "sample"


class Settings(BaseSettings):
    """Settings of the service, the CLI and the Python API, validated on creation."""

    model_config = SettingsConfigDict(env_prefix="MINFASTIGHET_", frozen=True, extra="forbid")

    data_dir: Path = Field(
        DEFAULT_DATA_DIR,
        description=(
            "Directory holding the vector store, the surface models and the solar catalog; a "
            "relative path is taken from the working directory."
        ),
    )
    vector_store: Literal["geopackage", "postgis"] = Field(
        "geopackage",
        description=("Backend of the vector layer store: geopackage or postgis."),
    )
    vector_dsn: str | None = Field(
        None,
        description=(
            "Where the vector store lives: a GeoPackage path, or for postgis a libpq connection "
            "string (postgresql://user@host/db; empty: libpq's PG* variables). Default: "
            "minfastighet.gpkg in data_dir."
        ),
    )
    solar_catalog: Path | None = Field(
        None, description=("STAC catalog of solar maps. Default: stac/catalog.json in data_dir.")
    )
    languages: tuple[str, ...] = Field(
        ("sv", "en"), description=("Languages offered to users; the first is the default.")
    )
    background_map_url: str | None = Field(
        None,
        description=(
            "Optional XYZ tile URL of a background map, e.g. https://…/{z}/{x}/{y}.png. Off by "
            "default: nothing leaves the service unless this is set, and the maps are drawn on "
            "the service's own base map (/tiles/base/{z}/{x}/{y}.png) instead."
        ),
    )
    background_map_attribution: str = Field(
        "", description=("Attribution shown with the background map.")
    )
    search_limit: int = Field(10, ge=1, le=100, description=("Suggestions returned by a search."))
    max_items: int = Field(
        10_000,
        ge=1,
        le=100_000,
        description=("Largest number of features one request may ask for."),
    )
    max_bbox_km2: float = Field(
        2500.0,
        gt=0,
        le=1_000_000,
        description=(
            "Largest area of a bbox query, in km² (larger: 400); OGC API Features measures "
            "the part of the box inside Sweden."
        ),
    )
    report_seconds: float = Field(
        20.0,
        gt=0,
        le=600,
        description=(
            "Longest time a report, its page or its PDF may take, in seconds, checked between "
            "the report's steps (longer: 503)."
        ),
    )
    tile_cache_size: int = Field(
        4096,
        ge=0,
        le=1_000_000,
        description=("Rendered solar map tiles kept in memory (0 turns the cache off)."),
    )
    base_tile_cache_size: int = Field(
        2048,
        ge=0,
        le=1_000_000,
        description=(
            "Rendered tiles of the service's own base map kept in memory (0 turns the cache "
            "off); keyed by the layers' last imports, so an import shows at once."
        ),
    )
    tile_max_age: int = Field(
        3600,
        ge=0,
        description=("Seconds browsers and proxies may keep a tile (Cache-Control max-age)."),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description=("Level of the service's log.")
    )
    access_log: bool = Field(
        True,
        description=(
            "Log one line per request: method, route (no values), parameter names, status and "
            "milliseconds; never an address, a designation or a client's IP address."
        ),
    )
    max_query_length: int = Field(
        2048,
        ge=256,
        le=65_536,
        description=("Longest query string and path of a request, in bytes (longer: 414)."),
    )
    max_text_length: int = Field(
        200,
        ge=20,
        le=2000,
        description=("Longest search text or designation, in characters (longer: 400)."),
    )
    max_body_bytes: int = Field(
        16_384, ge=0, description=("Largest request body, in bytes (larger: 413).")
    )
    gdal_cache_mb: int = Field(
        256,
        ge=8,
        le=65_536,
        description=("GDAL's raster block cache, in MB (GDAL_CACHEMAX; set when the app starts)."),
    )
    block_cache_mb: int = Field(
        256,
        ge=0,
        le=65_536,
        description=("Decoded solar map blocks kept for zonal statistics, in MB (0 turns it off)."),
    )
    numba_cache_dir: str = Field(
        "",
        description=(
            "Folder of the compiled solar kernels (empty: the package's __pycache__, or a "
            "per-user folder when the package is read-only)."
        ),
    )
    public_url: str | None = Field(
        None,
        description=(
            "The service's public address, e.g. https://karta.example.se/minfastighet: absolute "
            "links are made from it, whatever Host header a request carries."
        ),
    )
    proxy_count: int = Field(
        0,
        ge=0,
        le=5,
        description=(
            "Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host/-Prefix "
            "headers are trusted (0: none are read)."
        ),
    )
    document_hosts: tuple[str, ...] = Field(
        (),
        description=(
            "Host names whose https links a plan's document may be (the kommun's plan archive); "
            "a link to any other host is not followed."
        ),
    )
    trusted_hosts: tuple[str, ...] = Field(
        ("localhost", "127.0.0.1", "::1", "[::1]"),
        description=(
            "Host names a request may be addressed to (Host, or X-Forwarded-Host behind "
            "proxy_count proxies) when public_url is not set; others get 400."
        ),
    )

    @field_validator("data_dir", "solar_catalog", mode="after")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser().resolve()

    @field_validator("languages", mode="after")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - {"sv", "en"})
        if unknown or not value:
            raise ValueError(f"languages must be drawn from sv and en, got {list(value)}")
        return value

    @field_validator("background_map_url", mode="after")
    @classmethod
    def _tile_url(cls, value: str | None) -> str | None:
        if value and not (
            value.startswith(("https://", "http://"))
            and all(part in value for part in ("{z}", "{x}", "{y}"))
        ):
            raise ValueError("background_map_url must be an http(s) URL with {z}, {x} and {y}")
        return value or None

    @field_validator("public_url", mode="after")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value and not (value.startswith(("https://", "http://")) and "?" not in value):
            raise ValueError("public_url must be an http(s) URL without a query")
        return value.rstrip("/") if value else None

    @model_validator(mode="after")
    def _data_dir_exists(self) -> Settings:
        if not self.data_dir.is_dir():
            raise ValueError(
                f"data_dir {self.data_dir} does not exist; build the sample municipality with "
                f"'minfastighet sample-data --out {self.data_dir}' or set MINFASTIGHET_DATA_DIR"
            )
        return self

    @property
    def vector_path(self) -> Path:
        """The GeoPackage of the vector store."""
        return Path(self.vector_dsn) if self.vector_dsn else self.data_dir / GPKG_NAME

    @property
    def vector_location(self) -> str:
        """What the store backend opens: the GeoPackage's path, or the database's DSN."""
        if self.vector_store == "postgis":
            return self.vector_dsn or ""
        return str(self.vector_path)

    @property
    def solar_catalog_path(self) -> Path:
        """The root catalog.json of the solar maps."""
        return self.solar_catalog or self.data_dir / SOLAR_CATALOG

    @property
    def default_language(self) -> str:
        return self.languages[0]


def describe() -> list[tuple[str, str, str]]:
    """Every setting as (environment variable, default, help), for docs and ``--help``.

    >>> names = [name for name, _, _ in describe()]
    >>> "MINFASTIGHET_DATA_DIR" in names
    True
    """
    rows = []
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else str(field.default)
        rows.append((f"MINFASTIGHET_{name.upper()}", default, field.description or ""))
    return rows
