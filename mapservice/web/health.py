"""Liveness and readiness for operators and load balancers."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mapservice.web.resources import get_dataset, get_settings

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """``{"status": "ok"}`` when the service can read its vector store."""
    settings = get_settings()
    ok = settings.vector_path.is_file()
    dataset = get_dataset()
    body = {
        "status": "ok" if ok else "degraded",
        "vector_store": settings.vector_store,
        "layers": dataset.layers if dataset else None,
    }
    return jsonify(body), 200 if ok else 503
