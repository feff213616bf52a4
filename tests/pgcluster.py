"""A throw-away PostgreSQL + PostGIS cluster for the tests: ``initdb`` + ``pg_ctl``, no service.

:func:`start_cluster` finds Debian's server binaries (``/usr/lib/postgresql/*/bin``, or
``pg_config --bindir``), initialises a cluster in a fresh directory, starts it on a free
loopback port with trust authentication for its own superuser, creates a database with the
``postgis``, ``pg_trgm`` and ``unaccent`` extensions and returns its connection string. As
root (CI containers) the server runs as ``nobody``, as PostgreSQL refuses to run as root.
Install the binaries with ``apt-get install postgresql postgresql-15-postgis-3`` (README's Quick
start does). ``python tests/pgcluster.py DIR`` starts one and prints its DSN, for a shell.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def server_bindir() -> Path | None:
    """The directory of ``initdb``/``pg_ctl`` with the PostGIS extension beside it, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    config = shutil.which("pg_config")
    if config:
        found = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.insert(0, found.stdout.strip())
    for bindir in candidates:
        version = Path(bindir).parent.name
        if (Path(bindir) / "initdb").is_file() and glob.glob(
            f"/usr/share/postgresql/{version}/extension/postgis.control"
        ):
            return Path(bindir)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: its directory, port and the DSN of its test database."""

    bindir: Path
    directory: Path
    port: int
    user: str | None

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/minfastighet"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")

    def stop(self) -> None:
        """Stop the server (immediately) and remove its directory."""
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "i", "stop"
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster(directory: Path) -> Cluster:
    """Initialise and start a cluster in ``directory`` (created) and create its database.

    Raises
    ------
    RuntimeError
        No server binaries, or initdb, the server or the database failed (with their output).
    """
    bindir = server_bindir()
    if bindir is None:
        raise RuntimeError(
            "no PostgreSQL server with PostGIS (apt-get install postgresql-15-postgis-3)"
        )
    user = "nobody" if os.geteuid() == 0 else None
    directory.mkdir(parents=True, exist_ok=True)
    if user:
        entry = pwd.getpwnam(user)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        directory.chmod(0o700)
        for parent in directory.parents:  # nobody must be able to reach its directory
            if parent.stat().st_mode & 0o001 == 0:
                parent.chmod(parent.stat().st_mode | 0o001)
    cluster = Cluster(bindir, directory, _free_port(), user)
    data = directory / "data"
    steps = [
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(directory / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {cluster.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200",
            "start",
        ],
    ]
    for step in steps:
        done = cluster._run(*step)
        if done.returncode:
            log = directory / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            cluster.stop()
            raise RuntimeError(f"{step[0]} failed: {done.stdout}{done.stderr}{tail}")
    import psycopg

    with psycopg.connect(cluster.dsn.replace("/minfastighet", "/postgres"), autocommit=True) as con:
        con.execute("CREATE DATABASE minfastighet")
    return cluster


if __name__ == "__main__":
    started = start_cluster(Path(sys.argv[1]))
    print(started.dsn)
