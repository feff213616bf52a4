"""Liveness and readiness for operators and load balancers."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mapservice.web.resources import get_dataset, get_settings, get_sources

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """``{"status": "ok"}`` when the service can read its vector store (for PostGIS: the
    database answers a query, after the store's retries)."""
    settings = get_settings()
    ok = settings.vector_path.is_file() if settings.vector_store == "geopackage" else _reachable()
    dataset = get_dataset()
    body = {
        "status": "ok" if ok else "degraded",
        "vector_store": settings.vector_store,
        "layers": dataset.layers if dataset else None,
    }
    return jsonify(body), 200 if ok else 503


def _reachable() -> bool:
    """Whether the database of a PostGIS store answers."""
    from layers import LayerError

    try:
        store = get_sources().store
        return bool(getattr(store, "ping", lambda: True)())
    except LayerError:
        return False
