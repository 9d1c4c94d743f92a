"""Services of the labels app, split by label: quality.py (R16-R26a) and school.py (R27-R36)."""
