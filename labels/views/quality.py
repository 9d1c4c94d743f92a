"""Views of the National Quality Label."""
