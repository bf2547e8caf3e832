"""Helpers for the test suite: factories and shared fixtures."""
