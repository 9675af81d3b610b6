"""A Word file opened as untrusted input: a bounded zip of XML parts read without entities or network."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

MAX_FILE_MB = 64
"""A fascicle with every chart and picture is under 2 MB; 64 leaves room for any section."""
MAX_PART_MB = 64
MAX_TOTAL_MB = 256
MAX_RATIO = 100
"""Deflated XML shrinks about 10 times; a part that would grow a hundredfold is a zip bomb."""
MAX_ENTRIES = 5000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}


class Unreadable(Exception):
    """The file cannot be read as a fascicle; the message says why, for the person who gave it."""


def _parser() -> etree.XMLParser:
    # No DTD, no entities, no network: an XML part can neither read files nor expand itself.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


@dataclass
class Package:
    """The parts of a Word file, each checked against the bounds before it is read."""

    path: Path
    zip: zipfile.ZipFile
    sizes: dict[str, int] = field(default_factory=dict)
    _xml: dict[str, etree._Element] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Whether the package holds a part."""
        return name in self.sizes

    def read(self, name: str) -> bytes:
        """The bytes of one part, refusing a part that expands beyond the bounds while it is read."""
        if name not in self.sizes:
            raise Unreadable(f"{self.path.name}: the part {name} is missing")
        limit = MAX_PART_MB * 1024 * 1024
        with self.zip.open(name) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise Unreadable(f"{self.path.name}: the part {name} expands beyond {MAX_PART_MB} MB")
        return data

    def xml(self, name: str) -> etree._Element:
        """One XML part, parsed once, without DTD, entities or network."""
        if name not in self._xml:
            try:
                root = etree.fromstring(self.read(name), _parser())
            except etree.XMLSyntaxError as error:
                raise Unreadable(f"{self.path.name}: the part {name} is not well-formed XML ({error})") from None
            if root.getroottree().docinfo.doctype:
                # Word never writes a DTD; one in a part can only be there to declare entities.
                raise Unreadable(f"{self.path.name}: the part {name} declares a DOCTYPE (entities are refused)")
            self._xml[name] = root
        return self._xml[name]

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """The relationships of a part: id -> (target part, type, external)."""
        folder = PurePosixPath(part).parent
        rels = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
        if not self.has(rels):
            return {}
        found = {}
        for rel in self.xml(rels).iter(f"{{{REL}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = _normalise(folder, target)
            found[rel.get("Id", "")] = (target, rel.get("Type", "").rsplit("/", 1)[-1], external)
        return found

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


def _normalise(folder: PurePosixPath, target: str) -> str:
    parts: list[str] = []
    for piece in (target[1:] if target.startswith("/") else str(folder / target)).split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def open_package(path: Path) -> Package:
    """Open a Word file within the bounds, or raise Unreadable with a reason a person can act on."""
    name = path.name
    try:
        stat = os.stat(path)
    except OSError as error:
        raise Unreadable(f"{name}: cannot be read ({error.strerror or error})") from None
    if not path.is_file():
        raise Unreadable(f"{name}: not a regular file")
    if stat.st_size > MAX_FILE_MB * 1024 * 1024:
        raise Unreadable(f"{name}: {stat.st_size // (1024 * 1024)} MB, more than the {MAX_FILE_MB} MB a fascicle "
                         "can be")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Unreadable(f"{name}: not a Word file (.docx is a zip archive; this is not one)") from None
    except OSError as error:
        raise Unreadable(f"{name}: cannot be read ({error.strerror or error})") from None
    try:
        package = _checked(path, archive)
    except Unreadable:
        archive.close()
        raise
    return package


def _checked(path: Path, archive: zipfile.ZipFile) -> Package:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Unreadable(f"{path.name}: {len(infos)} parts in the zip, more than {MAX_ENTRIES}")
    sizes: dict[str, int] = {}
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Unreadable(f"{path.name}: the part {info.filename} is encrypted")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_MB * 1024 * 1024 or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise Unreadable(f"{path.name}: the part {info.filename} would expand to {info.file_size:,} bytes "
                             f"({ratio:.0f} times its stored size): refused as a zip bomb")
        total += info.file_size
        sizes[info.filename] = info.file_size
    if total > MAX_TOTAL_MB * 1024 * 1024:
        raise Unreadable(f"{path.name}: expands to {total:,} bytes, more than {MAX_TOTAL_MB} MB")
    if "word/document.xml" not in sizes:
        raise Unreadable(f"{path.name}: a zip archive but not a Word document (no word/document.xml); if it should "
                         "be one, the file may be incomplete or damaged")
    return Package(path, archive, sizes)


def custom_properties(package: Package) -> dict[str, str]:
    """The document's custom properties (Symbol1, JobNo, Language...), empty when it has none."""
    if not package.has("docProps/custom.xml"):
        return {}
    found = {}
    for prop in package.xml("docProps/custom.xml"):
        value = "".join(prop.itertext()).strip()
        found[prop.get("name", "")] = value
    return found
