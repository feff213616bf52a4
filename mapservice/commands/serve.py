"""``minfastighet serve``: run the service on a production WSGI server.

One process (``--workers 1``, the default) is waitress with ``--threads`` threads. Python runs one
thread at a time in a process, so a report page or PDF (CPU-bound) holds up every other request
of that process; ``--workers N`` runs N processes under gunicorn (pre-fork, ``gthread`` workers
with ``--threads`` threads each), one per core being the usual choice. Each worker builds its
own app after the fork, so no connection or file handle is shared between processes. Proxy
headers are left to the app (``MINFASTIGHET_PROXY_COUNT``): gunicorn trusts none itself.
"""

from __future__ import annotations

import logging
from typing import Any

import click

from mapservice import ConfigError, create_app
from mapservice.web.resources import warm_up


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="TCP port to listen on.",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker threads of the WSGI server (per process).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes: 1 runs waitress; more run gunicorn with that many processes.",
)
def serve(host: str, port: int, threads: int, workers: int) -> None:
    """Serve Min fastighet (waitress or gunicorn); settings from MINFASTIGHET_* variables."""
    try:
        app = create_app()  # in every case: a bad setting fails here, before any fork
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    click.echo(f"Serving Min fastighet on http://{host}:{port}/ (Ctrl+C to stop)")
    if workers == 1:
        import waitress

        warm_up(app)
        waitress.serve(app, host=host, port=port, threads=threads, ident="minfastighet")
        return
    _processes(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 120,
            "graceful_timeout": 10,
            "forwarded_allow_ips": "",  # the app decides what a proxy may say
            "secure_scheme_headers": {},
            "accesslog": None,  # the app's own access log (mapservice.access)
        }
    ).run()


def _processes(options: dict[str, Any]) -> Any:
    """A gunicorn application running ``create_app()`` in each worker after the fork."""
    from gunicorn.app.base import BaseApplication

    class Processes(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            app = create_app()
            warm_up(app)
            return app

    return Processes()
