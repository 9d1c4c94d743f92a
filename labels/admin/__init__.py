"""Admin review screens of the labels app (NSO evaluators, central staff)."""

from labels.admin import quality, school  # noqa: F401
