"""Admin for School Label campaigns and applications."""
