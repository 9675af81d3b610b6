"""The test PostgreSQL server: up on loopback only, gone afterwards."""

from __future__ import annotations

import socket
import subprocess

from pgserver import postgres_server


def _psql(server: object, sql: str) -> str:
    host, port, user = server.host, server.port, server.user  # type: ignore[attr-defined]
    return subprocess.run(["psql", "-h", host, "-p", str(port), "-U", user, "-d", "postgres", "-Atc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_a_server_listens_on_loopback_only_and_stops_after() -> None:
    with postgres_server() as server:
        assert _psql(server, "show listen_addresses") == "127.0.0.1"
        assert _psql(server, "select 1 + 1") == "2"
        folder, port = server.socket_dir, server.port
    assert not folder.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
