"""Fixtures the web tests share (a pytest plugin, see conftest.py): the application's home folder per test, the
seeded ITC section and an officer of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    """FASCICLE_HOME in the test's own folder (the live server's thread reads the same settings object)."""
    settings.FASCICLE_HOME = tmp_path / "home"
    return Path(settings.FASCICLE_HOME)


@pytest.fixture
def seeded() -> Any:
    """The ITC 2024 seed imported as a dataset, with its system user."""
    from web_support import seed_dataset

    return seed_dataset()


@pytest.fixture
def officer(seeded: Any) -> Any:
    """An officer of ITC."""
    from web_support import user

    return user("olga", ("officer", "ITC"))
