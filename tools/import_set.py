"""Re-import the bundled sections from the official Word files in tests/data/fascicles (the development set).

The datasets under src/fascicle/data/a80-6-2026 and a81-6-2027 are this script's output; tests check that a
fresh import gives them byte for byte, so a change of the importer shows in the diff of the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fascicle.ingest.importer import apply_corrigendum, import_file, report
from fascicle.source.general import write_section

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "data" / "fascicles"
DATA = ROOT / "src" / "fascicle" / "data"
SET = {
    "a80-6-2026/sect-02": ("a80-6-2026/A_80_6_Sect.2.docx", None),
    "a80-6-2026/sect-09": ("a80-6-2026/A_80_6_Sect.9.docx", None),
    "a80-6-2026/sect-12": ("a80-6-2026/A_80_6_Sect.12.docx", None),
    "a80-6-2026/sect-13": ("a80-6-2026/A_80_6_Sect.13.docx", None),
    "a80-6-2026/sect-24": ("a80-6-2026/A_80_6_Sect.24.docx", "a80-6-2026/A_80_6_SECT.24__CORR.1.docx"),
    "a80-6-2026/sect-29a": ("a80-6-2026/A_80_6_Sect.29A.docx", None),
    "a81-6-2027/sect-13": ("a81-6-2027/A_81_6_Sect.13_PartA.docx", None),
}


def build(target: Path, source: str, corrigendum: str | None) -> None:
    """Import one file (and its corrigendum) into `target`."""
    imported = import_file(SOURCE / source)
    section = imported.section
    if corrigendum:
        section = apply_corrigendum(section, import_file(SOURCE / corrigendum))
    imported.section = section
    write_section(section, target, report(imported))


def main() -> int:
    """Import every file of the set into the bundled data."""
    if not SOURCE.is_dir():
        print(f"{SOURCE} is missing: the development set is not on this machine", file=sys.stderr)
        return 2
    for name, (source, corrigendum) in SET.items():
        build(DATA / name, source, corrigendum)
        print(f"{source} -> {(DATA / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
