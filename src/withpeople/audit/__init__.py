"""The audit log of who viewed or exported personal data."""
