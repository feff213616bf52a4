"""Pages for people."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from mapservice.dataset import get_dataset

bp = Blueprint("pages", __name__)

LAYER_NAMES = {
    "parcels": _l("Parcels"),
    "addresses": _l("Addresses"),
    "buildings": _l("Buildings"),
    "plans": _l("Detailed development plans"),
    "plan_uses": _l("Land-use provisions"),
    "plan_rules": _l("Property provisions"),
}


@bp.get("/")
def index():
    """The start page: what the service is and which data it serves."""
    return render_template("index.html", dataset=get_dataset(), layer_names=LAYER_NAMES)
