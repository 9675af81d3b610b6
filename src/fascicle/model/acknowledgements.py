"""Findings the authors have decided to publish anyway, each with its reason, who decided and when."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import StringConstraints

from fascicle.model.base import Frozen

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}\d{3}$")]
Said = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False, pattern=r"\S")]


class Where(Frozen):
    """The place a finding points at: a part file and a field path in it, as `validate --json` prints them."""

    file: str
    field: str = ""


class Acknowledgement(Frozen):
    """One finding accepted for publication: it stays listed, but no longer blocks a build or marks it a draft."""

    code: Code
    location: Where
    reason: Said
    who: Said
    date: dt.date


class Acknowledgements(Frozen):
    """Every acknowledged finding of the section."""

    acknowledgements: tuple[Acknowledgement, ...]
