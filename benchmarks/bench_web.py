"""100 simulated users against gunicorn on PostgreSQL, on loopback: page reads, cached downloads and figure edits.

Run: .venv/bin/python benchmarks/bench_web.py [--users 100] [--duration 40] [--max-requests 20000]
                                               [--worker-class gthread] [--workers 2] [--threads 4]

A throwaway PostgreSQL server (tests/pgserver.py) and a temporary FASCICLE_HOME; `fascicle-web fascicle_setup`
migrates and loads the bundled sections and the demo accounts; gunicorn serves on 127.0.0.1 at a free port. Each
user is a thread with its own session (log in, CSRF token from the cookie) that waits a think time between its
requests. Readers read the ITC section (the fascicle itself), the dashboard, the history and downloads (of one
revision whose eight files were built before the run: the first, uncached builds are timed apart). Editors (officer
and the DMD manager) read the figures page and save one figure of a small shared set with the base revision they
read, so two editors sometimes save the same figure: a 409 conflict is a correct answer, counted apart, never an
error. Errors are any 5xx, connection error or other unexpected status. Afterwards the database must hold every
accepted edit: its Change row, in the head's ancestry, its value at the head or replaced by a later change of the
same path.

Bounded: `--duration` seconds and `--max-requests` requests in all; a timeout on every request; everything
started here is stopped on the way out, failure or not.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "itc-2024"
READ_AIM, EDIT_AIM = 0.100, 0.150
TIMEOUT = 15.0
LOGINS = threading.Semaphore(2)
"""Logins before the run, two at a time: each hashes a password (PBKDF2), hundreds of ms of CPU; not timed."""
HOT = 12
"""Editors pick among this many figures of their kind, so the same figure is sometimes saved twice at once."""


def _pgserver() -> Any:
    spec = importlib.util.spec_from_file_location("pgserver", ROOT / "tests" / "pgserver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgserver"] = module
    spec.loader.exec_module(module)
    return module



# --- one user's HTTP session ---------------------------------------------------------------------------------------


class Unexpected(Exception):
    """An answer the benchmark did not expect (wrong status)."""


class Session:
    """Cookies (session, CSRF) and one request at a time on its own connection to 127.0.0.1."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """Status, body and the seconds from sending to the last byte."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, data, elapsed

    def login(self, username: str, password: str) -> None:
        status, _, _ = self.request("GET", "/login/")
        if status != 200:
            raise Unexpected(f"login page: {status}")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        status, body, _ = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise Unexpected(f"login of {username}: {status} {body[:200]!r}")


# --- what a page holds ---------------------------------------------------------------------------------------------

_BASE = re.compile(r'<table class="figures" data-base="(\d+)">')
_ROW = re.compile(r'<tr id="[^"]*" data-part="([^"]*)" data-path="([^"]*)" data-value="([^"]*)" data-label="([^"]*)"'
                  r' data-editable="true">')
_SAVED = re.compile(rb"Saved as revision (\d+)\.")


@dataclass(frozen=True)
class Figure:
    part: str
    path: str
    label: str
    base: str
    old: str


def figures_of(page: bytes) -> list[Figure]:
    """The figures of the figures page the user may edit, with the revision the page shows (their base)."""
    text = page.decode("utf-8")
    base = _BASE.search(text)
    if base is None:
        return []
    return [Figure(unescape(part), unescape(path), unescape(label), base.group(1), unescape(value))
            for part, path, value, label in _ROW.findall(text)]


# --- the load --------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Every timed request by kind, the conflicts, the errors and the accepted edits (revision, part, path, new)."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    conflicts: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    accepted: list[tuple[int, str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0

    def take(self, limit: int) -> bool:
        """Reserve one request of the bounded count: False once the count is spent."""
        with self.lock:
            if self.count >= limit:
                return False
            self.count += 1
            return True


def new_value(figure: Figure, rng: random.Random) -> str:
    if figure.part == "posts":
        count = int(figure.old or 0)
        return str(count + 1 if count < 2 or rng.random() < 0.5 else count - 1)
    old = Decimal(figure.old or 0)
    return format(old + Decimal(rng.randint(1, 9)) / 10, "f")


def user_loop(index: int, role: str, account: tuple[str, str], port: int, done: threading.Event, limit: int,
              think: tuple[float, float], downloads: list[str], tally: Tally, start: threading.Barrier) -> None:
    try:
        _user(index, role, account, port, done, limit, think, downloads, tally, start)
    except Exception as error:  # noqa: BLE001 - a user that fails is an error of the run
        with tally.lock:
            tally.errors.append(f"user {index}: {type(error).__name__}: {error}")


def _user(index: int, role: str, account: tuple[str, str], port: int, done: threading.Event, limit: int,
          think: tuple[float, float], downloads: list[str], tally: Tally, start: threading.Barrier) -> None:
    rng = random.Random(index)
    session = Session(port)
    try:
        with LOGINS:
            session.login(*account)
    except Exception as error:  # noqa: BLE001 - counted as an error
        with tally.lock:
            tally.errors.append(f"user {index} login: {type(error).__name__}: {error}")
        start.wait()
        return
    start.wait()
    done.wait(rng.uniform(0, think[1]))  # users arrive spread over one think time, not all at once
    page: list[Figure] = []

    def timed(kind: str, method: str, path: str, expect: tuple[int, ...], form: dict[str, str] | None = None,
              ) -> tuple[int, bytes] | None:
        try:
            status, body, elapsed = session.request(method, path, form)
        except Exception as error:  # noqa: BLE001 - a connection error is an error of the run
            with tally.lock:
                tally.errors.append(f"{kind} {path}: {type(error).__name__}: {error}")
            return None
        with tally.lock:
            if status not in expect:
                tally.errors.append(f"{kind} {path}: HTTP {status} {body[:160]!r}")
                return None
            if status == 409:
                tally.conflicts.append(elapsed)
            else:
                tally.times[kind].append(elapsed)
        return status, body

    while not done.is_set():
        if not tally.take(limit):
            return
        if role == "editor" and page and rng.random() < 0.6:
            mine = page[:HOT]
            figure = rng.choice(mine)
            new = new_value(figure, rng)
            form = {"part": figure.part, "path": figure.path, "label": figure.label, "base": figure.base,
                    "old": figure.old, "new": new, "reason": f"bench user {index}", "category": "technical"}
            answer = timed("edit", "POST", f"/sections/{SLUG}/edit/", (200, 409), form)
            if answer is not None and answer[0] == 200:
                saved = _SAVED.search(answer[1])
                if saved is None:
                    with tally.lock:
                        tally.errors.append(f"edit answered 200 without a revision: {answer[1][:200]!r}")
                else:
                    with tally.lock:
                        tally.accepted.append((int(saved.group(1)), figure.part, figure.path, new))
            page = []  # read the page again before the next edit
        else:
            pick = rng.random()
            if role == "editor":
                answer = timed("figures", "GET", f"/sections/{SLUG}/figures/", (200,))
                if answer is not None:
                    every = figures_of(answer[1])
                    page = ([f for f in every if f.part == "posts" and " · DMD · " in f.label]
                            if account[0] == "manager" else [f for f in every if f.part == "resources"])
            elif pick < 0.45:
                timed("section", "GET", f"/sections/{SLUG}/", (200,))
            elif pick < 0.65:
                timed("dashboard", "GET", "/sections/", (200,))
            elif pick < 0.80:
                timed("history", "GET", f"/sections/{SLUG}/history/", (200,))
            else:
                timed("download", "GET", rng.choice(downloads), (200,))
        done.wait(rng.uniform(*think))


# --- verification ----------------------------------------------------------------------------------------------------


def number(text: str) -> Decimal | None:
    """A stored value as a number: a Change row holds a value as YAML text (an integer reads "13\\n..."; see
    the report in README's Benchmarks)."""
    try:
        return Decimal(str(yaml.safe_load(text)))
    except (yaml.YAMLError, ArithmeticError, ValueError):
        return None


def verify(url: str, accepted: list[tuple[int, str, str, str]]) -> list[str]:
    """What is wrong with the accepted edits as the database holds them (empty: every one is there)."""
    import psycopg

    from fascicle.edit import value_at

    problems: list[str] = []
    with psycopg.connect(url) as db:
        found = db.execute("SELECT id, head_id FROM budgets_dataset WHERE slug = %s", (SLUG,)).fetchone()
        assert found is not None
        dataset_id, head_id = found
        parents: dict[int, int | None] = dict(db.execute(
            "SELECT id, parent_id FROM budgets_revision WHERE dataset_id = %s", (dataset_id,)))
        ancestry: list[int] = []
        node = head_id
        while node is not None:
            ancestry.append(node)
            node = parents[node]
        order = {pk: n for n, pk in enumerate(reversed(ancestry))}
        texts: dict[str, str] = dict(db.execute(
            "SELECT p.name, t.text FROM budgets_revisionpart p JOIN budgets_parttext t ON t.sha256 = p.text_id "
            "WHERE p.revision_id = %s", (head_id,)))
        changes: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for revision, part, path, new in db.execute(
                "SELECT c.revision_id, c.part, c.path, c.new FROM budgets_change c JOIN budgets_revision r "
                "ON r.id = c.revision_id WHERE r.dataset_id = %s", (dataset_id,)):
            changes[(part, path)].append((revision, new))
        edits_stored = len(ancestry) - 1  # the import is the first revision; every later one is an accepted edit
    if edits_stored != len(accepted) or len(parents) != len(ancestry):
        problems.append(f"{len(accepted)} edits accepted, {edits_stored} revisions after the import in the head's "
                        f"ancestry, {len(parents)} revisions in all")
    for revision, part, path, new in accepted:
        if revision not in order:
            problems.append(f"revision {revision} ({part} {path}) is not in the head's ancestry")
            continue
        rows = changes.get((part, path), [])
        if not any(r == revision and number(v) == Decimal(new) for r, v in rows):
            problems.append(f"revision {revision}: no change of {part} {path} to {new}")
            continue
        later = [r for r, _ in rows if r in order and order[r] > order[revision]]
        head_value = value_at(texts, part, path)
        if not later and number(str(head_value)) != Decimal(new):
            problems.append(f"revision {revision}: {part} {path} is {head_value} at the head, not {new}, and no "
                            "later change replaced it")
    return problems


# --- CPU accounting (Linux /proc): the server's own CPU time, and what else ran on the machine -------------------

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2:].split()  # fields from the third (state) on


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, its children that ended (reaped) and its live children."""
    fields = _stat(root)
    if not fields:
        return 0.0
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            child = _stat(int(entry.name))
            if child and int(child[1]) == root:
                total += int(child[11]) + int(child[12])
    return total / TICK


def machine_busy() -> float:
    """CPU seconds the whole machine was busy since boot (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


# --- running it ------------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def row(name: str, values: list[float]) -> str:
    if not values:
        return f"  {name:<22}{0:>7}"
    return (f"  {name:<22}{len(values):>7}{1000 * statistics.median(values):>9.1f}"
            f"{1000 * percentile(values, 0.95):>9.1f}{1000 * max(values):>9.1f}")


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            status, _, _ = Session(port).request("GET", "/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--editors", type=int, default=20, help="of the users, how many edit (officer, manager)")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a user waits between requests (uniform)")
    parser.add_argument("--worker-class", default="gthread", choices=("sync", "gthread"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    options = parser.parse_args()
    print(f"{options.users} users ({options.editors} editing), think {options.think[0]:g}-{options.think[1]:g} s, "
          f"{options.duration:g} s or {options.max_requests} requests; gunicorn {options.worker_class} "
          f"{options.workers} workers" + (f" x {options.threads} threads" if options.worker_class == "gthread"
                                          else "") + f"; {os.cpu_count()} cores")
    pgserver = _pgserver()
    home = Path(tempfile.mkdtemp(prefix="fascicle-bench-web-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        with pgserver.postgres_server() as pg:
            import psycopg

            with psycopg.connect(pg.url("postgres"), autocommit=True) as db:
                db.execute("CREATE DATABASE fascicle")
            url = pg.url("fascicle")
            env = {**os.environ, "DATABASE_URL": url, "FASCICLE_HOME": str(home),
                   "DJANGO_SETTINGS_MODULE": "fascicle.web.settings", "FASCICLE_CACHE_DIR": str(home / "core-cache")}
            env.pop("FASCICLE_DEBUG", None)
            start = time.perf_counter()
            setup = subprocess.run([str(BIN / "fascicle-web"), "fascicle_setup"], env=env, capture_output=True,
                                   text=True, check=False)
            if setup.returncode != 0:
                raise RuntimeError(f"fascicle_setup failed:\n{setup.stderr[-3000:]}")
            print(f"fascicle_setup (migrate, 8 sections, accounts): {time.perf_counter() - start:.1f} s")
            passwords = {line.split()[0]: line.split()[1]
                         for line in (home / "demo-accounts.txt").read_text().splitlines() if line.strip()}
            port = pgserver.free_port()
            command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers),
                       "--worker-class", options.worker_class, "--threads", str(options.threads),
                       "--backlog", "256", "--timeout", "60", "--no-control-socket", "fascicle.web.wsgi"]
            server = subprocess.Popen(command, env=env, cwd=home, start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=open(home / "gunicorn.log", "wb"))
            try:
                wait_ready(port, server)
            except RuntimeError:
                print((home / "gunicorn.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            postmaster = int((pg.socket_dir / "data" / "postmaster.pid").read_text().split()[0])
            return run(options, port, passwords, url, server, home, postmaster)
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(home, ignore_errors=True)


def run(options: Any, port: int, passwords: dict[str, str], url: str, server: subprocess.Popen[bytes],
        home: Path, postmaster: int) -> int:
    probe = Session(port)
    probe.login("officer", passwords["officer"])
    status, page, _ = probe.request("GET", f"/sections/{SLUG}/figures/")
    assert status == 200, status
    base = figures_of(page)[0].base
    # The first, uncached builds of the eight downloads of this revision (timed apart), then cached downloads only.
    downloads = [f"/revisions/{base}/{lang}.{kind}" for lang in ("en", "zh")
                 for kind in ("html", "pdf", "docx", "xlsx")]
    print("first (uncached) build of a download, then the same download cached:")
    for path in downloads:
        status, _, first = probe.request("GET", path)
        status2, _, cached = probe.request("GET", path)
        assert status == status2 == 200, (path, status, status2)
        print(f"  {path:<32}{1000 * first:>9.0f} ms  {1000 * cached:>6.1f} ms")
    # Each worker's memo of loaded revisions starts empty: the first reads of every page are timed apart.
    cold: dict[str, list[float]] = defaultdict(list)
    for _ in range(2 * options.workers * (options.threads if options.worker_class == "gthread" else 1)):
        for kind, path in (("section", f"/sections/{SLUG}/"), ("figures", f"/sections/{SLUG}/figures/"),
                           ("dashboard", "/sections/"),
                           ("history", f"/sections/{SLUG}/history/")):
            status, _, elapsed = probe.request("GET", path)
            assert status == 200, (path, status)
            cold[kind].append(elapsed)
    print("warm-up (each worker's first reads included): " +
          ", ".join(f"{k} max {1000 * max(v):.0f} ms" for k, v in cold.items()))

    editors = [("officer" if i % 4 else "manager") for i in range(options.editors)]
    readers = [("officer", "reviewer", "translator")[i % 3] for i in range(options.users - options.editors)]
    tally = Tally()
    barrier = threading.Barrier(options.users + 1, timeout=180)
    finished = threading.Event()
    threads = []
    for index, name in enumerate(editors + readers):
        role = "editor" if index < len(editors) else "reader"
        thread = threading.Thread(target=lambda i=index, r=role, n=name: user_loop(
            i, r, (n, passwords[n]), port, finished, options.max_requests, tuple(options.think), downloads,
            tally, barrier), daemon=True)
        threads.append(thread)
    # Log every user in first (not timed), then release them together.
    for thread in threads:
        thread.start()
    barrier.wait()
    print(f"every user logged in; the load runs for {options.duration:g} s", flush=True)
    began, client_cpu = time.monotonic(), time.process_time()
    cpu = (tree_cpu(server.pid), tree_cpu(postmaster), machine_busy())
    finished.wait(options.duration)
    finished.set()
    for thread in threads:
        thread.join(timeout=options.duration + 2 * TIMEOUT + options.think[1] + 5)
    wall = time.monotonic() - began
    client_cpu = time.process_time() - client_cpu
    gunicorn_cpu, postgres_cpu = tree_cpu(server.pid) - cpu[0], tree_cpu(postmaster) - cpu[1]
    others = machine_busy() - cpu[2] - gunicorn_cpu - postgres_cpu - client_cpu
    stuck = sum(1 for t in threads if t.is_alive())

    reads = [t for kind in ("section", "figures", "dashboard", "history", "download") for t in tally.times[kind]]
    edits = tally.times["edit"]
    total = len(reads) + len(edits) + len(tally.conflicts) + len(tally.errors)
    print(f"\n{total} requests in {wall:.1f} s: {total / wall:.1f} requests/s; {len(edits)} edits saved "
          f"({len(edits) / wall:.1f}/s), {len(tally.conflicts)} conflicts (409), {len(tally.errors)} errors"
          + (f", {stuck} users still running" if stuck else ""))
    cores = os.cpu_count() or 1
    print(f"CPU over the run: gunicorn {gunicorn_cpu:.1f} s ({1000 * gunicorn_cpu / max(total, 1):.1f} ms a request), "
          f"PostgreSQL {postgres_cpu:.1f} s, the users {client_cpu:.1f} s, anything else on the machine "
          f"{max(others, 0):.1f} s; of {cores * wall:.0f} core-seconds")
    print(f"  {'kind':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in ("section", "figures", "dashboard", "history", "download"):
        print(row(kind, tally.times[kind]))
    print(row("all reads", reads))
    print(row("edit (saved, 200)", edits))
    print(row("edit (conflict, 409)", tally.conflicts))
    for error in tally.errors[:10]:
        print("  error:", error)
    problems = verify(url, tally.accepted)
    print(f"accepted edits in the head or its history: {len(tally.accepted) - len(problems)} of {len(tally.accepted)}"
          + ("" if not problems else f"; problems: {problems[:5]}"))
    log_tail = (home / "gunicorn.log").read_text(errors="replace").strip().splitlines()[-5:]
    if any("Traceback" in line or "ERROR" in line for line in log_tail):
        print("gunicorn log ends with:\n  " + "\n  ".join(log_tail))
    aims = {
        f"reads p95 < {1000 * READ_AIM:.0f} ms": bool(reads) and percentile(reads, 0.95) < READ_AIM,
        f"edits p95 < {1000 * EDIT_AIM:.0f} ms": bool(edits) and percentile(edits, 0.95) < EDIT_AIM,
        "0 errors": not tally.errors and not stuck,
        "every accepted edit stored": not problems,
    }
    print("aims: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in aims.items()))
    # Speed is a figure, not a verdict: only errors and lost edits fail the run.
    return 0 if not tally.errors and not stuck and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
