"""Models of the labels app: the National Quality Label (quality.py) and the School Label (school.py)."""

from labels.models.quality import *  # noqa: F403
from labels.models.school import *  # noqa: F403
