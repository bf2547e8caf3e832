"""Notifications: one way to tell people about what concerns them, by email and in the app."""
