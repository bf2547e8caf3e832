"""Diversity monitoring with consent, personal data rights and retention."""
