"""A cache of part files already read and validated, keyed by their exact text, so a budget reloads fast.

Reading a part means parsing its YAML with positions and validating it: about half a second for a large
imported section, most of it in the YAML composer. A part whose bytes (and model) are unchanged is the same
value, so the result is kept in the user's cache folder and reused. Only a folder that belongs to the user and
that nobody else can write is used; anything odd about it turns the cache off, never the loading.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

VERSION = b"fascicle-part-cache-1"


def folder() -> Path | None:
    """The cache folder, created private; None when caching is off or the folder cannot be trusted."""
    if os.environ.get("FASCICLE_CACHE", "1") == "0":
        return None
    base = os.environ.get("FASCICLE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "fascicle")
    return private_folder(Path(base))


def private_folder(path: Path) -> Path | None:
    """`path` as a folder of cached values, created private; None when it cannot be trusted (the web keeps its
    summaries of revisions in one under its home)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    # A cached value is unpickled: only from a folder this user owns and no one else may write to.
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not stat.S_ISDIR(info.st_mode):
        return None
    return path


@cache
def _fingerprint(model: type[BaseModel]) -> bytes:
    # A change of the model (a field, a bound, a validator) is a change of the model package's code, which is
    # read in a millisecond, where building the models' JSON schemas took a tenth of a second on every command.
    digest = hashlib.sha256(f"{model.__module__}.{model.__qualname__} {pydantic.VERSION}".encode())
    for source in _model_sources():
        digest.update(source)
    return digest.digest()


@cache
def _model_sources() -> tuple[bytes, ...]:
    package = Path(__file__).resolve().parents[1] / "model"
    return tuple(path.name.encode() + b"\0" + path.read_bytes() for path in sorted(package.glob("*.py")))


def key(text: str, model: type[BaseModel]) -> str:
    """The key of one part: its exact text and the model it is validated against."""
    digest = hashlib.sha256(VERSION)
    digest.update(_fingerprint(model))
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def get(where: Path, name: str) -> Any | None:
    """A cached value, or None."""
    file = where / name
    try:
        info = file.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        with open(file, "rb") as handle:
            return pickle.loads(handle.read())  # noqa: S301 - written by this program into a private folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


KEPT = 5000
"""Entries a cache folder keeps: now and then the oldest beyond these are deleted, since a long-running process
(the web application writes one for each edit) would otherwise fill the disk."""


def put(where: Path, name: str, value: Any, kept: int = KEPT) -> None:
    """Keep a value, written whole or not at all; a full disk only loses the cache. About one write in 64 also
    deletes the oldest entries of the folder beyond `kept`."""
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".part.")
        with os.fdopen(handle, "wb") as out:
            out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, where / name)
    except OSError:
        return
    now_and_then(where, kept)


def now_and_then(where: Path, kept: int = KEPT) -> None:
    """Prune the folder about one time in 64 (a write's share of the cost of listing it)."""
    if int.from_bytes(os.urandom(1), "big") < 4:
        prune(where, kept)


def prune(where: Path, kept: int = KEPT) -> None:
    """Delete the oldest entries of a cache folder beyond `kept`; files being written (a leading dot) are left.
    An entry deleted while another process reads it is only computed again there."""
    entries = []
    try:
        with os.scandir(where) as found:
            for entry in found:
                if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                except OSError:
                    continue
    except OSError:
        return
    for _, path in sorted(entries, reverse=True)[kept:]:
        try:
            os.unlink(path)
        except OSError:
            continue


@cache
def code() -> bytes:
    """A fingerprint of this program's code: checks and their messages change with it."""
    digest = hashlib.sha256(VERSION)
    package = Path(__file__).resolve().parents[1]
    for file in sorted(package.rglob("*.py")):
        digest.update(str(file.relative_to(package)).encode())
        digest.update(file.read_bytes())
    return digest.digest()


LIMIT = 64 * 1024 * 1024


def folder_key(directory: Path) -> str | None:
    """The key of a whole section folder: the program, the names in it and every byte of every file; None when
    the folder holds anything but plain files of sensible size (then it is read, and its problems reported)."""
    digest = hashlib.sha256(code())
    try:
        entries = sorted(directory.iterdir())
        for entry in entries:
            digest.update(entry.name.encode("utf-8", "surrogateescape") + b"\0")
            if entry.name.startswith("."):
                continue
            if entry.is_symlink() or not entry.is_file() or entry.stat().st_size > LIMIT:
                return None
            digest.update(hashlib.sha256(entry.read_bytes()).digest())
    except OSError:
        return None
    return "folder-" + digest.hexdigest()
