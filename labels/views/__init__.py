"""Views of the labels app: public.py (home, verification, statistics), quality.py, school.py."""

from labels.views.public import home

__all__ = ["home"]
