"""The test delivery (tests/national/deliveries.py), written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.national.deliveries import write_delivery


@pytest.fixture(scope="session")
def delivery(tmp_path_factory) -> Path:
    return write_delivery(tmp_path_factory.mktemp("delivery") / "leverans")
