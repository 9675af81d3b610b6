"""Deliverable totals by subcategory and delivery rates (actual over planned)."""

from __future__ import annotations

from decimal import Decimal

from fascicle.compute.rounding import half_up
from fascicle.model.deliverables import Deliverable, Subcategory


def subtotal(subcategory: Subcategory, period: str) -> int | None:
    """The subcategory's quantity for a period: the sum of its items; None when no item has one."""
    parts = [item.quantities[period] for item in subcategory.items if period in item.quantities]
    return sum(parts) if parts else None


def delivery_rate(planned: int | None, actual: int | None) -> Decimal | None:
    """Actual over planned, in per cent with one decimal; None when either is missing or nothing was planned."""
    if planned is None or actual is None or planned == 0:
        return None
    return half_up(Decimal(actual) / Decimal(planned) * 100)


def item_rate(item: Deliverable, year: int) -> Decimal | None:
    """The delivery rate of one item in a year."""
    return delivery_rate(item.quantities.get(f"{year} planned"), item.quantities.get(f"{year} actual"))


def subcategory_rate(subcategory: Subcategory, year: int) -> Decimal | None:
    """The delivery rate of a subcategory in a year."""
    return delivery_rate(subtotal(subcategory, f"{year} planned"), subtotal(subcategory, f"{year} actual"))
