"""A real PostgreSQL server for the tests that need one: started on loopback in a temporary folder, stopped after.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, its data and socket in a
folder that user owns. The port is a free one on 127.0.0.1; nothing listens on any other address.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
"""Debian's server programs, the newest version first (they are not on PATH)."""


@dataclass(frozen=True)
class Server:
    """A running server: where to reach it."""

    host: str
    port: int
    user: str
    socket_dir: Path

    def url(self, database: str = "postgres") -> str:
        """A DATABASE_URL for it."""
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}"


def tool(name: str) -> str | None:
    """The path of a PostgreSQL server program, or None when the server is not installed."""
    for folder in BINARIES:
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def available() -> bool:
    """Whether a PostgreSQL server can be started here."""
    return tool("initdb") is not None and tool("pg_ctl") is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def postgres_server() -> Iterator[Server]:
    """Start a throwaway PostgreSQL server on 127.0.0.1 and stop it (and remove its files) afterwards."""
    initdb, pg_ctl = tool("initdb"), tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError("PostgreSQL is not installed (make setup installs Debian's postgresql)")
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="fascicle-pg-"))
    data, log = folder / "data", folder / "server.log"
    if owner:
        shutil.chown(folder, owner)
    port = free_port()
    user = owner or os.environ.get("USER", "postgres")
    try:
        subprocess.run(_as_owner([initdb, "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8",
                                  "--locale=C"], owner), check=True, capture_output=True)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "30",
                                  "start"], owner), check=True, capture_output=True)
        try:
            yield Server("127.0.0.1", port, user, folder)
        finally:
            subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], owner),
                           check=False, capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
