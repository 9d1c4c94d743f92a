"""School Label models: campaigns, professional development, stage one and two (SPEC R27-R36)."""

from django.db import models  # noqa: F401

__all__: list[str] = []
