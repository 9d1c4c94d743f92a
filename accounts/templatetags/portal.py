"""Template tags shared by every app."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(
    context: template.Context, slot: str, obj: object = None
) -> SafeString:
    """Render every panel registered for `slot` (see accounts/panels.py)."""
    request = context.get("request")
    parts = []
    for panel in panels_for(slot):
        result = panel(request, obj)
        if result is None:
            continue
        template_name, panel_context = result
        parts.append(render_to_string(template_name, panel_context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered (autoescaped) template
