"""The importer on Word files it was not tuned on: cut in half, bytes flipped, parts missing, hostile text.

Whatever happens, `fascicle import` ends with exit 0, 1 or 2 and a message, never a traceback; with 2 it
writes nothing; with 0 or 1 what it wrote loads back."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fascicle.cli import app
from fascicle.source.general import load_section

SOURCE = Path(__file__).resolve().parent / "data" / "fascicles" / "a80-6-2026" / "A_80_6_Sect.13.docx"
runner = CliRunner()
pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="the development set is not on this machine")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _import(tmp_path: Path, data: bytes) -> tuple[int, str, Path]:
    file = tmp_path / "in.docx"
    file.write_bytes(data)
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(file), "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert not out.exists(), "exit 2 must leave nothing behind"
        assert result.output.strip(), "exit 2 says why"
    else:
        load_section(out)  # what was written loads back
    return result.exit_code, result.output, out


def test_a_file_cut_in_half(tmp_path: Path) -> None:
    data = SOURCE.read_bytes()
    code, output, _ = _import(tmp_path, data[: len(data) // 2])
    # Cut in half, the file ends inside an embedded worksheet, itself a zip: zipfile reads that one.
    assert code == 2 and ("not a Word file" in output or "incomplete or damaged" in output)


@pytest.mark.parametrize("seed", range(6))
def test_bytes_flipped_in_the_document(tmp_path: Path, seed: int) -> None:
    parts = _parts(SOURCE.read_bytes())
    xml = bytearray(parts["word/document.xml"])
    chance = random.Random(seed)
    for _ in range(20):
        xml[chance.randrange(len(xml))] = chance.randrange(256)
    parts["word/document.xml"] = bytes(xml)
    _import(tmp_path, _zip(parts))


def test_the_document_cut_in_half(tmp_path: Path) -> None:
    parts = _parts(SOURCE.read_bytes())
    parts["word/document.xml"] = parts["word/document.xml"][: len(parts["word/document.xml"]) // 2]
    code, output, _ = _import(tmp_path, _zip(parts))
    assert code == 2 and "word/document.xml is not well-formed XML" in output


@pytest.mark.parametrize("missing", ["word/styles.xml", "docProps/custom.xml", "word/charts/chart1.xml",
                                     "word/footnotes.xml", "word/_rels/document.xml.rels"])
def test_a_part_missing(tmp_path: Path, missing: str) -> None:
    parts = _parts(SOURCE.read_bytes())
    del parts[missing]
    _import(tmp_path, _zip(parts))


HOSTILE = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "\u0085\u2028bad\u009f", "{{ 7*7 }}",
           "#read(\"/etc/passwd\")", "1e999999", "(((1 2 3", "–––", "9" * 40, "'; DROP TABLE x; --"]


def test_hostile_text_in_every_cell_and_paragraph(tmp_path: Path) -> None:
    parts = _parts(SOURCE.read_bytes())
    xml = parts["word/document.xml"].decode("utf-8")
    chance = random.Random(7)
    pieces = xml.split("<w:t>")
    # Prefix a hostile value to every plain text run: labels, figures, headings and prose alike.
    escaped = [h.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for h in HOSTILE]
    xml = pieces[0] + "".join(f"<w:t>{chance.choice(escaped)}{piece}" for piece in pieces[1:])
    parts["word/document.xml"] = xml.encode("utf-8")
    code, _, out = _import(tmp_path, _zip(parts))
    assert code in (0, 1)
    text = (out / "document.yaml").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in text  # kept as text, to be escaped by every output
    assert "\u0085" not in text and "\u2028" not in text  # characters no output can hold are replaced
    report = (out / "import-report.yaml").read_text(encoding="utf-8")
    assert "not_understood:" in report  # prefixed figures are no longer numbers, and say so


def test_a_table_the_mapper_cannot_read_is_kept_as_text_and_listed(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    from fascicle.ingest import document

    real = document.map_table

    def fails_on_13_4(word: object, context: object) -> object:
        if getattr(context, "number", None) == "13.4":
            raise ValueError("a shape nobody foresaw")
        return real(word, context)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "map_table", fails_on_13_4)
    code, _, out = _import(tmp_path, SOURCE.read_bytes())
    assert code in (0, 1)
    report = (out / "import-report.yaml").read_text(encoding="utf-8")
    assert "the table could not be read (ValueError: a shape nobody foresaw)" in report
    assert "37 889.8" in report  # its cells are listed, with their text
