"""``minfastighet serve``: run the service on a production WSGI server (waitress)."""

from __future__ import annotations

import logging

import click

from mapservice import ConfigError, create_app


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
    help="Worker threads of the WSGI server.",
)
def serve(host: str, port: int, threads: int) -> None:
    """Serve Min fastighet with waitress; settings come from MINFASTIGHET_* variables."""
    import waitress

    try:
        app = create_app()
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    click.echo(f"Serving Min fastighet on http://{host}:{port}/ (Ctrl+C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="minfastighet")
