"""Pages for people."""

from __future__ import annotations

from flask import Blueprint, render_template

from mapservice.dataset import get_dataset

bp = Blueprint("pages", __name__)

LAYER_NAMES = {
    "parcels": "Fastighetsytor",
    "addresses": "Belägenhetsadresser",
    "buildings": "Byggnader",
    "plans": "Detaljplaner",
    "plan_uses": "Användningsbestämmelser",
    "plan_rules": "Egenskapsbestämmelser",
}


@bp.get("/")
def index():
    """The start page: what the service is and which data it serves."""
    return render_template("index.html", dataset=get_dataset(), layer_names=LAYER_NAMES)
