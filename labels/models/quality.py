"""National Quality Label and European Quality Label models (SPEC R16-R26a)."""

from django.db import models  # noqa: F401

__all__: list[str] = []
