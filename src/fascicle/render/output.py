"""Where a build's files go and how they replace the last build, every language at once.

Layout of an output folder DIR after a build of zh and en:

    DIR/zh -> .fascicle/current/zh            relative symbolic links, one per language
    DIR/en -> .fascicle/current/en
    DIR/.fascicle/current -> .build-k2j4x8    the one pointer that says which build is published
    DIR/.fascicle/.build-k2j4x8/              the build: zh/, en/ and manifest.json (what it wrote)
    DIR/.fascicle/lock                        flock'd while a build runs; never removed

A build writes everything into a new `.fascicle/.build-*` folder, and only once every language and format is
written (and the manifest last) does it replace `.fascicle/current` with `os.replace`, one atomic rename. Every
reader's path `DIR/<lang>/...` goes through that one pointer, so at any instant it names one whole build:

- During a build, readers see the previous build, whole, until the rename; from then on the new one, whole.
  A language the new build drops is a dangling link for a moment (absent, as in the new build), then removed.
  A file a reader has open stays readable after its build is removed. Someone reading zh, then en, with a
  build finishing in between gets two builds; for a fixed set, resolve `DIR/.fascicle/current` once.
- After a kill -9 at any point, `current` names either the previous build or the new one, whole; what is left
  is a stale `.build-*` folder (and perhaps a `.current-*` link or a link for a language not yet published,
  dangling), which the next build removes: they are recognisable by name, inside our own `.fascicle` folder,
  and removed only under the lock. The kernel releases the lock of a killed process.

Nothing is deleted that Fascicle did not write: a build folder is removed file by file from its manifest
(a folder with anything else in it stays), and before building, every `DIR/<lang>` the build would replace
must be absent, empty, or our link with only the last build's files behind it; otherwise the build is refused,
naming the file. Everything else in DIR is left alone. Published files are 0644 and folders 0755 whatever
the umask, for readers other than the builder. Power loss is not covered (files are not fsync'd).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PRIVATE = ".fascicle"
CURRENT = "current"
LOCK = "lock"
MANIFEST = "manifest.json"
BUILD_PREFIX = ".build-"
POINTER_PREFIX = ".current-"
FILE_MODE, FOLDER_MODE = 0o644, 0o755


class OutputError(Exception):
    """An output folder that cannot be written as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Build:
    """A build folder that Fascicle wrote, and what its manifest says it holds."""

    folder: Path
    languages: tuple[str, ...]
    files: frozenset[str]
    folders: frozenset[str]


def ensure_folder(out: Path) -> None:
    """Check that `out` can be a folder of outputs, and create it if need be."""
    if out.resolve() == Path(out.resolve().anchor):
        raise OutputError(f"--out {out}: refusing to write into the root of the file system; choose a folder")
    if out.is_symlink() and not out.exists():
        raise OutputError(f"--out {out} is a symbolic link to {os.readlink(out)}, which does not exist")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder; choose a folder")
    blocking = next((parent for parent in out.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise OutputError(f"--out {out}: {blocking} is a file, not a folder; choose a folder")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"--out {out}: cannot create the folder: {error.strerror}") from None
    if created:
        out.chmod(FOLDER_MODE)
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: cannot write into the folder: permission denied")


@contextlib.contextmanager
def release(out: Path, langs: Sequence[str]) -> Iterator[Path]:
    """Yield an empty folder to write `<lang>/...` into; when the block ends without error, publish it as
    `out/<lang>` for every language at once and remove the build it replaces (see the module's docstring)."""
    ensure_folder(out)
    private = _private_folder(out)
    with _locked(out, private):
        try:
            previous = _current(out, private)
            _check_replaceable(out, langs, previous)
            _remove_stale(private)
            staging = Path(tempfile.mkdtemp(dir=private, prefix=BUILD_PREFIX))
        except OSError as error:
            raise _unusable(out, error) from None
        try:
            staging.chmod(FOLDER_MODE)
            yield staging
            _seal(staging, langs)
            _link_languages(out, langs)
            _point(private, staging)  # the one step that publishes: nothing below can undo it
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            where = error.filename if isinstance(error.filename, str) else None
            if where is not None and Path(where).resolve().is_relative_to(out.resolve()):
                raise _unusable(out, error) from None
            raise
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Published: a replaced build that cannot be removed now is stale, and the next build removes it.
        with contextlib.suppress(OSError):
            _retire(out, previous, langs)


def _unusable(out: Path, error: OSError) -> OutputError:
    where = f" {error.filename}" if isinstance(error.filename, str) else ""
    return OutputError(f"--out {out}: cannot write{where}: {error.strerror}")


def _private_folder(out: Path) -> Path:
    private = out / PRIVATE
    if private.is_symlink() or (private.exists() and not private.is_dir()):
        raise OutputError(f"{private} is not a folder Fascicle made; move it away or choose another --out")
    try:
        if not private.exists():
            private.mkdir()
            private.chmod(FOLDER_MODE)
    except OSError as error:
        raise OutputError(f"--out {out}: cannot write into the folder: {error.strerror}") from None
    return private


@contextlib.contextmanager
def _locked(out: Path, private: Path) -> Iterator[None]:
    # Non-blocking: a second build would only overwrite the first one's output the moment it got the lock,
    # so its user learns at once that someone else is publishing here, and a script can retry.
    try:
        handle = os.open(private / LOCK, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as error:
        raise OutputError(f"--out {out}: cannot create the lock {private / LOCK}: {error.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise OutputError(f"another build is writing into {out}; try again when it has finished") from None
            raise
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _current(out: Path, private: Path) -> Build | None:
    pointer = private / CURRENT
    if not pointer.is_symlink():
        if pointer.exists():
            raise OutputError(f"{pointer} is not a link Fascicle made; move it away or choose another --out")
        return None
    target = os.readlink(pointer)
    if os.sep in target or not target.startswith(BUILD_PREFIX):
        raise OutputError(f"{pointer} points to {target}, not to a build of Fascicle; move it away")
    if not (private / target).exists():
        return None
    build = _read_build(private / target)
    if build is None:
        raise OutputError(f"the published build {private / target} has no readable {MANIFEST}, so what Fascicle "
                          f"wrote there is unknown; move {out} away or choose another --out")
    return build


def _read_build(folder: Path) -> Build | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Build(folder, tuple(manifest["languages"]), frozenset(manifest["files"]),
                     frozenset(manifest["folders"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _link_target(lang: str) -> str:
    return f"{PRIVATE}/{CURRENT}/{lang}"


def _is_our_link(entry: Path, lang: str) -> bool:
    return entry.is_symlink() and os.readlink(entry) == _link_target(lang)


def _check_replaceable(out: Path, langs: Sequence[str], previous: Build | None) -> None:
    """Refuse, naming the file, when publishing would replace or hide anything Fascicle did not write."""
    ours = previous.languages if previous else ()
    for lang in dict.fromkeys([*langs, *ours]):
        entry = out / lang
        if _is_our_link(entry, lang):
            if previous is not None and lang in ours:
                _check_manifest(out, lang, previous)
        elif entry.is_symlink():
            raise OutputError(f"{entry} is a symbolic link to {os.readlink(entry)}, which Fascicle did not make; "
                              f"a build would replace it: remove it or choose another --out")
        elif entry.is_dir():
            stray = next(iter(sorted(entry.rglob("*"))), None)
            if stray is not None:
                raise OutputError(f"{stray} was not written by Fascicle, and a build would replace {entry}: "
                                  f"move it away or choose another --out")
        elif entry.exists():
            raise OutputError(f"{entry} is a file, and a build would replace it with the {lang} folder: "
                              f"move it away or choose another --out")


def _check_manifest(out: Path, lang: str, previous: Build) -> None:
    root = previous.folder / lang
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(previous.folder).as_posix()
        known = previous.folders if path.is_dir() and not path.is_symlink() else previous.files
        if relative not in known:
            raise OutputError(f"{out / relative} was not written by Fascicle, and a build would replace "
                              f"{out / lang}: move it away or choose another --out")


def _remove_stale(private: Path) -> None:
    """Remove what killed builds left: build folders that are not the published one, and pointer links."""
    pointer = private / CURRENT
    published = os.readlink(pointer) if pointer.is_symlink() else None
    for entry in private.iterdir():
        if entry.name.startswith(POINTER_PREFIX) and entry.is_symlink():
            entry.unlink()
        elif (entry.name.startswith(BUILD_PREFIX) and entry.name != published and entry.is_dir()
              and not entry.is_symlink()):
            build = _read_build(entry)
            if build is None:
                shutil.rmtree(entry)  # never published and never pointed at: all of it is ours
            else:
                _remove_build(build)


def _remove_build(build: Build) -> None:
    """Delete the files and folders the manifest lists, deepest first. Anything else stays, and so does the
    manifest beside it, so that a later build still knows the rest is not its own."""
    for relative in sorted(build.files):
        with contextlib.suppress(FileNotFoundError):
            (build.folder / relative).unlink()
    for relative in sorted(build.folders, key=lambda name: name.count("/"), reverse=True):
        with contextlib.suppress(OSError):
            (build.folder / relative).rmdir()  # a folder that still holds something not ours stays
    if all(entry.name == MANIFEST for entry in build.folder.iterdir()):
        with contextlib.suppress(FileNotFoundError):
            (build.folder / MANIFEST).unlink()
        build.folder.rmdir()


def _seal(staging: Path, langs: Sequence[str]) -> None:
    """Give every file and folder its published mode, and write the manifest last."""
    files, folders = [], []
    for path in sorted(staging.rglob("*")):
        relative = path.relative_to(staging).as_posix()
        if path.is_dir() and not path.is_symlink():
            path.chmod(FOLDER_MODE)
            folders.append(relative)
        else:
            path.chmod(FILE_MODE)
            files.append(relative)
    manifest = {"written_by": "fascicle", "languages": list(langs), "links": list(langs), "folders": folders,
                "files": files}
    target = staging / MANIFEST
    target.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    target.chmod(FILE_MODE)


def _link_languages(out: Path, langs: Sequence[str]) -> None:
    # Links are made before the switch: until then they point into the previous build, where a new language
    # is simply absent, as it is in that build.
    for lang in langs:
        entry = out / lang
        if _is_our_link(entry, lang):
            continue
        if entry.is_dir() and not entry.is_symlink():
            entry.rmdir()  # checked empty; fails rather than delete anything written since
        try:
            os.symlink(_link_target(lang), entry)
        except FileExistsError:
            raise OutputError(f"{entry} appeared during the build; move it away or choose another --out") from None


def _point(private: Path, build: Path) -> None:
    temporary = private / f"{POINTER_PREFIX}{build.name[len(BUILD_PREFIX):]}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(build.name, temporary)
    os.replace(temporary, private / CURRENT)


def _retire(out: Path, previous: Build | None, langs: Sequence[str]) -> None:
    """After the switch: drop our links of languages the new build has not (also those a killed build made),
    and the replaced build."""
    for entry in out.iterdir():
        if entry.name not in langs and _is_our_link(entry, entry.name):
            entry.unlink()
    if previous is not None:
        _remove_build(previous)
