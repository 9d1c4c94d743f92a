"""Views of the School Label."""
