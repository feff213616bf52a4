"""One exception family; each leaf is also the natural builtin and maps to an HTTP status."""

import pytest

import layers.errors as errors
from mapservice.errors import status_for


@pytest.mark.parametrize(
    ("cls", "builtin", "status"),
    [
        (errors.ParcelNotFound, KeyError, 404),
        (errors.AddressNotFound, KeyError, 404),
        (errors.InvalidDesignation, ValueError, 400),
        (errors.AmbiguousDesignation, ValueError, 409),
        (errors.InvalidCoordinates, ValueError, 400),
        (errors.OutsideSweden, ValueError, 400),
        (errors.UnsupportedCRS, ValueError, 400),
        (errors.UnknownLayer, ValueError, 400),
        (errors.ImportRefused, ValueError, 422),
        (errors.MissingCRS, ValueError, 422),
        (errors.StoreUnavailable, OSError, 503),
    ],
)
def test_leaves_are_layer_errors_and_builtins_with_a_status(cls, builtin, status):
    error = cls("what went wrong")
    assert isinstance(error, errors.LayerError)
    assert isinstance(error, builtin)
    assert str(error) == "what went wrong"  # KeyError's quotes are not shown to people
    assert status_for(error) == status


def test_every_public_error_is_listed():
    leaves = {getattr(errors, name) for name in errors.__all__}
    assert all(issubclass(leaf, errors.LayerError) for leaf in leaves)
