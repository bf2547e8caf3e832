"""Pieces of work planned from the top of the ladder, with their evidence."""
