"""Expiry (« date limite d'utilisation ») of a sterile tray from its packaging's shelf life."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day the target month lacks becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(recomposed_on: dt.date, months: int = 0, days: int = 0) -> dt.date:
    """Recomposition date + months (calendar) + days: the last day the tray may be used."""
    if months < 0 or days < 0:
        raise ValueError("durée de validité négative")
    return add_months(recomposed_on, months) + dt.timedelta(days=days)


def shelf_life_text(months: int, days: int) -> str:
    """« 6 mois », « 30 jours », « 1 mois et 15 jours »."""
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    return " et ".join(parts) or "non définie"
