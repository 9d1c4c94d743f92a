"""Forms of the labels app, split by label: quality.py and school.py."""
