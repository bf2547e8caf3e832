"""Making It Real frameworks, review cycles and anonymous feedback on the I statements."""
