from __future__ import annotations

from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "fascicle.web.budgets"
    label = "budgets"
    default_auto_field = "django.db.models.BigAutoField"
