"""A build draws each chart only in the formats its outputs need, reuses charts drawn before from the private cache,
and imports a renderer only for the format asked for. Behaviour only: the speed is measured by
benchmarks/bench_build.py, never asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fascicle.document.tree import Chart, Document, FigureBlock
from fascicle.model.budget import Budget
from fascicle.render import charts
from fascicle.render.publish import publish
from fascicle.source.load import load

TINY = Path(__file__).parent / "data" / "tiny"
RENDERERS = ("matplotlib", "docx", "xlsxwriter", "typst", "jinja2")


@pytest.fixture(scope="module")
def tiny_budget() -> Budget:
    return load(TINY).budget


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty private cache folder of this test's own."""
    where = tmp_path / "cache"
    where.mkdir(mode=0o700)
    monkeypatch.setenv("FASCICLE_CACHE_DIR", str(where))
    return where


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, list[str]]]]:
    """Every chart matplotlib draws, as (chart id, formats)."""
    calls: list[tuple[str, list[str]]] = []
    draw = charts._draw

    def counted(chart: Chart, lang: str, name: str, kinds: list[str]) -> dict[str, bytes]:
        calls.append((chart.id, list(kinds)))
        return draw(chart, lang, name, kinds)

    monkeypatch.setattr(charts, "_draw", counted)
    yield calls


def _files(root: Path, suffix: str) -> list[Path]:
    return sorted(p for p in root.rglob(f"*{suffix}") if p.is_file())


def _document(value: float = 2.0, lang: str = "en") -> Document:
    chart = Chart("chart-1", "bars", "Title", ("a", "b", "c"), (("Series", (1.0, value, 3.0)),), ("x",))
    return Document(lang, "ltr", "A/1", "T", "S", (FigureBlock("Figure 1", "T", (chart,)),))


def test_a_pdf_build_draws_svg_only(tmp_path: Path, folder: Path, tiny_budget: Budget,
                                    drawings: list[tuple[str, list[str]]]) -> None:
    publish(tiny_budget, ("en",), ("pdf",), tmp_path / "out", draft=False)
    assert drawings and all(kinds == ["svg"] for _, kinds in drawings)
    assert _files(tmp_path / "out", ".svg") and not _files(tmp_path / "out", ".png")
    assert _files(folder, ".svg") and not _files(folder, ".png")


def test_each_format_draws_what_it_needs(tmp_path: Path, folder: Path, tiny_budget: Budget,
                                         drawings: list[tuple[str, list[str]]]) -> None:
    # The workbook shows each chart beside its table as a picture: PNG, as the DOCX (no SVG).
    publish(tiny_budget, ("en",), ("xlsx",), tmp_path / "xlsx", draft=False)
    assert drawings and all(kinds == ["png"] for _, kinds in drawings)
    assert not _files(tmp_path / "xlsx", ".svg")
    drawings.clear()
    publish(tiny_budget, ("en",), ("docx",), tmp_path / "docx", draft=False)
    assert drawings == []  # the PNGs the workbook needed are the document's: taken from the cache
    assert _files(tmp_path / "docx", ".png") and not _files(tmp_path / "docx", ".svg")


def test_a_second_build_reuses_the_cached_charts(tmp_path: Path, folder: Path, tiny_budget: Budget,
                                                 drawings: list[tuple[str, list[str]]]) -> None:
    publish(tiny_budget, ("en",), ("html", "docx"), tmp_path / "first", draft=False)
    drawn = len(drawings)
    assert drawn and all(kinds == ["svg", "png"] for _, kinds in drawings)
    publish(tiny_budget, ("en",), ("html", "docx"), tmp_path / "second", draft=False)
    assert len(drawings) == drawn
    first, second = tmp_path / "first" / "en", tmp_path / "second" / "en"
    files = sorted(p.relative_to(first) for p in (first / "charts").iterdir())
    assert files == sorted(p.relative_to(second) for p in (second / "charts").iterdir())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert (first / "fascicle.html").read_bytes() == (second / "fascicle.html").read_bytes()


def test_a_chart_already_drawn_in_one_format_draws_only_the_other(tmp_path: Path, folder: Path,
                                                                  drawings: list[tuple[str, list[str]]]) -> None:
    charts.draw_all(_document(), tmp_path / "a", {"svg"})
    charts.draw_all(_document(), tmp_path / "b", {"svg", "png"})
    assert drawings == [("chart-1", ["svg"]), ("chart-1", ["png"])]


def test_changed_data_or_language_misses_the_cache(tmp_path: Path, folder: Path,
                                                   drawings: list[tuple[str, list[str]]]) -> None:
    charts.draw_all(_document(2.0), tmp_path / "a", {"svg"})
    charts.draw_all(_document(2.0), tmp_path / "b", {"svg"})
    assert len(drawings) == 1
    charts.draw_all(_document(2.5), tmp_path / "c", {"svg"})
    charts.draw_all(_document(2.0, "zh"), tmp_path / "d", {"svg"})
    document = _document()
    block = document.blocks[0]
    assert isinstance(block, FigureBlock)
    retitled = replace(document, blocks=(replace(block, charts=(replace(block.charts[0], title="Other"),)),))
    charts.draw_all(retitled, tmp_path / "e", {"svg"})
    assert len(drawings) == 4
    assert (tmp_path / "a" / "chart-1.svg").read_bytes() == (tmp_path / "b" / "chart-1.svg").read_bytes()
    assert (tmp_path / "a" / "chart-1.svg").read_bytes() != (tmp_path / "c" / "chart-1.svg").read_bytes()


def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        drawings: list[tuple[str, list[str]]]) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("FASCICLE_CACHE_DIR", str(shared))
    for name in ("a", "b"):
        charts.draw_all(_document(), tmp_path / name, {"svg"})
    assert list(shared.iterdir()) == [] and len(drawings) == 2
    assert (tmp_path / "b" / "chart-1.svg").stat().st_size > 0


def test_an_entry_others_may_write_to_is_not_believed(tmp_path: Path, folder: Path,
                                                      drawings: list[tuple[str, list[str]]]) -> None:
    charts.draw_all(_document(), tmp_path / "a", {"svg"})
    (entry,) = folder.iterdir()
    entry.write_bytes(b"<svg>planted</svg>")
    os.chmod(entry, 0o666)
    charts.draw_all(_document(), tmp_path / "b", {"svg"})
    assert len(drawings) == 2
    assert b"planted" not in (tmp_path / "b" / "chart-1.svg").read_bytes()


def test_the_cache_can_be_turned_off(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
                                     drawings: list[tuple[str, list[str]]]) -> None:
    monkeypatch.setenv("FASCICLE_CACHE", "0")
    for name in ("a", "b"):
        charts.draw_all(_document(), tmp_path / name, {"svg", "png"})
    assert list(folder.iterdir()) == [] and len(drawings) == 2


def _modules_after(code: str, env: dict[str, str]) -> set[str]:
    """The renderer packages a fresh interpreter has imported after running `code`."""
    probe = code + textwrap.dedent(f"""
        import json, sys
        print(json.dumps(sorted(m for m in {RENDERERS!r} if m in sys.modules)))
        """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, **env})
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_command_line_imports_no_renderer() -> None:
    assert _modules_after("import fascicle.cli", {}) == set()


def test_a_pdf_build_with_cached_charts_imports_typst_only(tmp_path: Path, folder: Path) -> None:
    def build(out: Path) -> str:
        return textwrap.dedent(f"""
            from pathlib import Path
            from fascicle.render.publish import publish
            from fascicle.source.load import load
            publish(load(Path({str(TINY)!r})).budget, ("en",), ("pdf",), Path({str(out)!r}), draft=False)
            """)

    env = {"FASCICLE_CACHE_DIR": str(folder)}
    assert _modules_after(build(tmp_path / "first"), env) == {"matplotlib", "typst"}
    assert _modules_after(build(tmp_path / "again"), env) == {"typst"}
    assert (tmp_path / "again" / "en" / "fascicle.pdf").stat().st_size > 0
