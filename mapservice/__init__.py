"""Min fastighet's web service: the Flask application factory.

Flask and the settings' pydantic are imported when they are first needed, so the command line
and the domain's error table start without them.

>>> from mapservice import create_app
>>> callable(create_app)
True
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported when an app is made, so the core runs without it
    from flask import Flask

    from mapservice.settings import Settings

__all__ = ["ConfigError", "Settings", "create_app", "load_settings"]


def __getattr__(name: str) -> object:
    """Import :class:`~mapservice.settings.Settings` when it is first asked for (PEP 562)."""
    if name != "Settings":
        raise AttributeError(f"module 'mapservice' has no attribute {name!r}")
    from mapservice.settings import Settings

    return Settings


class ConfigError(ValueError):
    """The settings are invalid; the message lists every problem in plain words."""


def load_settings(config: Mapping[str, Any] | Settings | None = None) -> Settings:
    """Build and validate the settings from defaults, the environment and ``config``."""
    from pydantic import ValidationError

    from mapservice.settings import Settings

    if isinstance(config, Settings):
        return config
    values = {key: value for key, value in (config or {}).items() if key.islower()}
    try:
        return Settings(**values)
    except ValidationError as err:
        lines = [
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in err.errors()
        ]
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from err


def create_app(config: Mapping[str, Any] | Settings | None = None) -> Flask:
    """Create the Flask application.

    Parameters
    ----------
    config
        Settings field values (lower-case keys, see :class:`mapservice.settings.Settings`) and
        Flask options (upper-case keys such as ``TESTING``), or a ready :class:`Settings`.
        Anything not given comes from ``MINFASTIGHET_*`` environment variables or the defaults.
    """
    from flask import Flask
    from flask.json.provider import DefaultJSONProvider

    from mapservice.settings import Settings

    settings = load_settings(config)
    app = Flask(__name__)  # templates/ and static/ beside this file
    if not isinstance(config, Settings):
        app.config.update({k: v for k, v in (config or {}).items() if k.isupper()})
    app.extensions["minfastighet.settings"] = settings
    json_provider = DefaultJSONProvider(app)  # Flask's own, keeping å, ä, ö and the key order
    json_provider.ensure_ascii = False
    json_provider.sort_keys = False
    app.json = json_provider
    logging.getLogger("mapservice").setLevel(settings.log_level)

    from mapservice.web import (
        access_log,
        api,
        assets,
        base_tiles,
        building_check,
        edge,
        errors,
        health,
        i18n,
        pages,
        plan_page,
        property_page,
        resources,
        solar_tiles,
        templating,
        viewer,
    )
    from mapservice.web.ogc import routes as ogc

    resources.init_app(app)
    edge.init_app(app)
    access_log.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(property_page.bp)
    app.register_blueprint(plan_page.bp)
    app.register_blueprint(api.bp)
    assets.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(ogc.bp)
    app.register_blueprint(viewer.bp)
    app.register_blueprint(building_check.bp)
    solar_tiles.init_app(app)
    base_tiles.init_app(app)
    errors.register_error_handlers(app)
    return app
