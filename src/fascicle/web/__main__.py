"""`python -m fascicle.web ARGS` (or `fascicle-web ARGS`): Django's manage.py for the web application."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command with the application's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fascicle.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
