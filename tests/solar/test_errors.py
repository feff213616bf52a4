"""The SolarError family and its place in the service's one status table."""

from __future__ import annotations

import pytest

from mapservice.errors import status_for
from solar import errors


@pytest.mark.parametrize(
    ("leaf", "builtin", "status"),
    [
        (errors.SolarMapNotFound, KeyError, 404),
        (errors.InvalidModel, ValueError, 400),
        (errors.InvalidSurface, ValueError, 422),
        (errors.InvalidBuildings, ValueError, 422),
        (errors.ClimateError, ValueError, 422),
        (errors.NotIrradiation, ValueError, 422),
        (errors.CatalogError, OSError, 503),
    ],
)
def test_leaves_inherit_the_family_and_a_builtin_and_map_to_a_status(leaf, builtin, status):
    error = leaf("message for people")
    assert isinstance(error, errors.SolarError)
    assert isinstance(error, builtin)
    assert status_for(error) == status
    assert str(error) == "message for people"


def test_the_solar_package_never_imports_flask_or_layers():
    import subprocess
    import sys

    code = (
        "import sys, solar, solar.catalog, solar.ingest, solar.solar_map; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'layers', "
        "'mapservice')]; print(bad); sys.exit(bool(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
