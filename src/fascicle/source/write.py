"""Write a section back to its directory of YAML files, in the same shape the loader reads."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import yaml

from fascicle.model.budget import Budget
from fascicle.source.parts import PARTS


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def dump_part(value: Any) -> str:
    """YAML text of one part, keys in model order, figures exact."""
    data = value.model_dump(mode="python", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def write(budget: Budget, root: FilePath | str) -> None:
    """Write every part into `root`; each file is replaced whole or not at all."""
    directory = FilePath(root)
    directory.mkdir(parents=True, exist_ok=True)
    for name, file_name in PARTS.items():
        value = getattr(budget, name)
        if value is not None:
            _replace(directory / file_name, dump_part(value))


def _replace(file: FilePath, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp makes the file private (0600); a source file is shared like any other text file.
        os.chmod(temporary, 0o644)
        os.replace(temporary, file)
    except BaseException:
        os.unlink(temporary)
        raise
