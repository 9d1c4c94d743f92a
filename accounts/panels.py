"""Panels: how a higher app shows its part on a lower app's page without being imported.

`labels` shows a project's Quality Labels on the project page, `projects` shows a school's
projects on the school page, and so on. Each app registers a panel in its AppConfig.ready():

    panels.register("project", quality_label_panel)

A panel is a function `(request, obj) -> (template_name, context) | None`; pages render all
panels of their slot with `{% render_panels "project" project %}`. Slots: "dashboard"
(obj = the user), "project", "school", "profile" (obj = the user shown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any], tuple[str, dict] | None]

_registry: dict[str, list[tuple[int, Panel]]] = defaultdict(list)


def register(slot: str, panel: Panel, *, order: int = 100) -> None:
    """Add `panel` to `slot` (once; registering again is a no-op, so ready() may run twice)."""
    if any(existing is panel for _order, existing in _registry[slot]):
        return
    _registry[slot].append((order, panel))
    _registry[slot].sort(key=lambda item: item[0])


def panels_for(slot: str) -> list[Panel]:
    return [panel for _order, panel in _registry[slot]]
