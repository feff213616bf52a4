"""The data set a service instance serves: its manifest, read once per app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from data.build import SampleData
from data.errors import IncompleteSample
from mapservice.settings import Settings


@dataclass(frozen=True)
class DatasetInfo:
    """What the pages say about the served data: its name, notice and layer counts."""

    name: str
    fictitious: bool
    notice: dict[str, str]
    kommun: str
    crs: str
    bounds: tuple[float, float, float, float]
    layers: dict[str, int]

    @classmethod
    def from_settings(cls, settings: Settings) -> DatasetInfo | None:
        """The manifest's view of ``settings.data_dir``, or None when there is no manifest."""
        try:
            sample = SampleData.open(settings.data_dir)
        except IncompleteSample:
            return None
        m = sample.manifest
        return cls(
            m["name"],
            bool(m["fictitious"]),
            m["notice"],
            m["kommun"],
            m["crs"],
            tuple(m["bounds"]),
            m["layers"],
        )


def init_app(app: Flask) -> None:
    """Read the data set's manifest once, when the app is created."""
    settings: Settings = app.extensions["minfastighet.settings"]
    app.extensions["minfastighet.dataset"] = DatasetInfo.from_settings(settings)


def get_dataset() -> DatasetInfo | None:
    """The data set of the current app."""
    return current_app.extensions["minfastighet.dataset"]


def get_settings() -> Settings:
    """The settings of the current app."""
    return current_app.extensions["minfastighet.settings"]
