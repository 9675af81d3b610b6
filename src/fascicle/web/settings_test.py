"""Settings for the tests: a fast password hasher, a home of the tests' own (FASCICLE_HOME is set per session
by tests/test_web_* fixtures), no login throttling between tests."""

from __future__ import annotations

from fascicle.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
