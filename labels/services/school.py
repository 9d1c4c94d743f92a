"""State changes of the School Label."""
