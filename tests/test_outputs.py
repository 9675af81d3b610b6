"""Output folders of `build` and `synth`: the reliability probe's cases c24–c30, d02, x02, x03 and o01, by id."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TINY
from fascicle.cli import app
from fascicle.model.budget import Budget
from fascicle.render.html import write_html
from fascicle.render.output import OutputError
from fascicle.render.publish import publish
from fascicle.source.load import load
from fascicle.synth import MAX_SCALE, write_sections

runner = CliRunner()


def build(out: Path, *options: str) -> tuple[int, str]:
    """Build the tiny budget as HTML into `out` through the command line: exit code and stderr."""
    result = runner.invoke(app, ["build", str(TINY), "--out", str(out), "--format", "html", *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, " ".join(result.stderr.split())


def snapshot(out: Path) -> dict[str, str]:
    """Every file a reader reaches under `out/<lang>/`, with a digest of its content."""
    files = {}
    for lang in ("zh", "en", "fr"):
        for path in sorted((out / lang).rglob("*")) if (out / lang).exists() else ():
            if path.is_file():
                files[path.relative_to(out).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def staging(out: Path) -> list[str]:
    """The build folders in `out`'s private folder."""
    return sorted(p.name for p in (out / ".fascicle").iterdir() if p.name.startswith(".build-"))


@pytest.fixture(scope="module")
def tiny_budget() -> Budget:
    """The tiny budget, loaded once."""
    return load(TINY).budget


def test_a_build_publishes_every_language_through_one_pointer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out, "--lang", "zh,en")[0] == 0
    first = staging(out)
    assert os.readlink(out / "en") == ".fascicle/current/en" and os.readlink(out / ".fascicle" / "current") == first[0]
    assert build(out, "--lang", "en")[0] == 0
    assert not (out / "zh").exists() and not (out / "zh").is_symlink()  # a dropped language goes with its build
    assert (out / "en" / "fascicle.html").is_file() and len(staging(out)) == 1 and staging(out) != first


def test_c24_synth_is_bounded_and_streams(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--scale", "100000", "--out", str(tmp_path / "big")])
    assert result.exit_code == 2 and str(MAX_SCALE) in result.output + result.stderr
    assert not (tmp_path / "big").exists()
    sections = write_sections(load().budget, 4, tmp_path / "small")
    first = next(sections)  # the first section is on disk before the second is generated
    assert first.name == "section-01" and (first / "section.yaml").is_file()
    assert not (tmp_path / "small" / "section-02").exists()
    assert [p.name for p in sections] == ["section-02"]


def test_c25_synth_refuses_a_file_and_never_overwrites_a_users_files(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["synth", "--scale", "1", "--out", str(file)])
    assert result.exit_code == 2 and "is a file" in result.stderr and file.read_text(encoding="utf-8") == "mine"
    mine = tmp_path / "data" / "section-01"
    mine.mkdir(parents=True)
    (mine / "section.yaml").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["synth", "--scale", "1", "--out", str(tmp_path / "data")])
    assert result.exit_code == 2 and "section-01/section.yaml was not written by synth" in result.stderr
    assert (mine / "section.yaml").read_text(encoding="utf-8") == "mine"


def test_synth_replaces_its_own_sections_and_drops_its_stale_ones(tmp_path: Path) -> None:
    assert runner.invoke(app, ["synth", "--scale", "4", "--out", str(tmp_path)]).exit_code == 0
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert runner.invoke(app, ["synth", "--scale", "1", "--out", str(tmp_path)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "section-01"]


def test_c26_build_refuses_a_file_as_out(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("mine", encoding="utf-8")
    code, message = build(file)
    assert code == 2 and f"--out {file} is a file" in message and file.read_text(encoding="utf-8") == "mine"
    code, message = build(file / "sub")
    assert code == 2 and f"{file} is a file" in message


def test_c27_build_never_deletes_a_users_file(tmp_path: Path) -> None:
    notes = tmp_path / "mine" / "en" / "notes.txt"
    notes.parent.mkdir(parents=True)
    notes.write_text("mine", encoding="utf-8")
    code, message = build(tmp_path / "mine", "--lang", "en")
    assert code == 2 and f"{notes} was not written by Fascicle" in message
    assert notes.read_text(encoding="utf-8") == "mine"
    # The same after a build: a file added under out/en is not the build's to replace.
    out = tmp_path / "out"
    assert build(out, "--lang", "en")[0] == 0
    (out / "en" / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    code, message = build(out, "--lang", "en")
    assert code == 2 and f"{out / 'en' / 'notes.txt'} was not written by Fascicle" in message
    assert snapshot(out) == before
    # Unrelated files of the user's beside the languages are left alone.
    (out / "en" / "notes.txt").unlink()
    (out / "README.txt").write_text("mine", encoding="utf-8")
    assert build(out, "--lang", "en")[0] == 0 and (out / "README.txt").read_text(encoding="utf-8") == "mine"


def test_c28_build_refuses_an_unwritable_out(tmp_path: Path) -> None:
    code, message = build(Path("/"))
    assert code == 2 and "root of the file system" in message
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        code, message = build(locked)
        assert code == 2 and "permission denied" in message.lower()
    elif Path("/sys").is_dir():
        code, message = build(Path("/sys/fascicle-probe"))  # not even root may create folders in sysfs
        assert code == 2 and "cannot create the folder" in message


def test_c29_build_refuses_a_language_linked_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "en").symlink_to(elsewhere)
    code, message = build(tmp_path / "out", "--lang", "en")
    assert code == 2 and "is a symbolic link to" in message and str(elsewhere) in message
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


def test_c30_build_refuses_a_language_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "en").write_text("mine", encoding="utf-8")
    code, message = build(tmp_path, "--lang", "en")
    assert code == 2 and f"{tmp_path / 'en'} is a file" in message
    assert (tmp_path / "en").read_text(encoding="utf-8") == "mine"


def test_d02_a_failure_mid_build_keeps_the_old_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tiny_budget: Budget) -> None:
    out = tmp_path / "out"
    publish(tiny_budget, ("zh", "en"), ("html",), out, draft=False)
    before = snapshot(out)

    def failing(document: object, charts: object, target: Path) -> None:
        if target.parent.name == "en":
            raise RuntimeError("disk on fire")
        write_html(document, charts, target)  # type: ignore[arg-type]

    monkeypatch.setattr("fascicle.render.publish.write_html", failing)
    with pytest.raises(RuntimeError):
        publish(tiny_budget, ("zh", "en"), ("html",), out, draft=True)
    assert snapshot(out) == before and len(staging(out)) == 1  # nothing left behind but the published build


KILLER = """
import os, signal, sys
from pathlib import Path
import fascicle.render.output as output
import fascicle.render.publish as publish
from fascicle.cli import app
from fascicle.model.budget import Budget

write_html, retire = publish.write_html, output._retire

def kill_in_en(document, charts, target):
    if Path(target).parent.name == "en":
        os.kill(os.getpid(), signal.SIGKILL)
    write_html(document, charts, target)

def kill_after_switch(*args):
    os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[1] == "writing":
    publish.write_html = kill_in_en
else:
    output._retire = kill_after_switch
app(["build", sys.argv[2], "--out", sys.argv[3], "--format", "html", "--lang", "zh,en"])
"""


@pytest.mark.parametrize("when", ["writing", "after-switch"])
def test_d02_kill_mid_build_keeps_the_old_build(tmp_path: Path, when: str) -> None:
    out = tmp_path / "out"
    assert build(out, "--lang", "zh,en")[0] == 0
    before = snapshot(out)
    killed = subprocess.run([sys.executable, "-c", KILLER, when, str(TINY), str(out)], capture_output=True,
                            timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = snapshot(out)
    assert sorted(after) == sorted(before)  # every file of a whole build, in both languages
    if when == "writing":
        assert after == before
    else:
        zh, en = (Path(os.path.realpath(out / lang)).parent for lang in ("zh", "en"))
        assert zh == en == Path(os.path.realpath(out / ".fascicle" / "current"))
    assert len(staging(out)) == 2  # the published build and the stale one: test_x03's case


def test_x03_the_next_build_removes_a_stale_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out, "--lang", "en")[0] == 0
    partial = out / ".fascicle" / ".build-killed"
    (partial / "en").mkdir(parents=True)
    (partial / "en" / "fascicle.html").write_text("half", encoding="utf-8")
    (out / ".fascicle" / ".current-killed").symlink_to(".build-killed")
    assert build(out, "--lang", "en")[0] == 0
    assert len(staging(out)) == 1 and not (out / ".fascicle" / ".current-killed").is_symlink()


def test_x02_concurrent_builds_are_serialised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out, "--lang", "en")[0] == 0
    before = snapshot(out)
    with (out / ".fascicle" / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build in another process holds it
        code, message = build(out, "--lang", "en")
    assert code == 2 and f"another build is writing into {out}" in message
    assert snapshot(out) == before
    assert build(out, "--lang", "en")[0] == 0  # released, the next build goes ahead


def test_o01_outputs_are_readable_by_others(tmp_path: Path, tiny_budget: Budget) -> None:
    old = os.umask(0o077)
    try:
        publish(tiny_budget, ("en",), ("html", "xlsx"), tmp_path / "out", draft=False)
    finally:
        os.umask(old)
    out = tmp_path / "out"
    modes = {path.relative_to(out).as_posix(): stat.S_IMODE(path.stat().st_mode)
             for path in [out, out / "en", *(out / "en").rglob("*"), out / ".fascicle", out / ".fascicle" / "current"]}
    assert modes["en/fascicle.html"] == modes["en/fascicle.xlsx"] == 0o644
    assert {mode for name, mode in modes.items() if (out / name).is_dir()} == {0o755}
    assert {mode for name, mode in modes.items() if (out / name).is_file()} == {0o644}


def test_publish_raises_output_error_for_the_api(tmp_path: Path, tiny_budget: Budget) -> None:
    (tmp_path / "en").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"):
        publish(tiny_budget, ("en",), ("html",), tmp_path, draft=False)


def test_a_link_a_killed_build_made_goes_with_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out, "--lang", "en")[0] == 0
    (out / "fr").symlink_to(".fascicle/current/fr")  # made just before a kill, never published
    assert build(out, "--lang", "en")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [".fascicle", "en"]
