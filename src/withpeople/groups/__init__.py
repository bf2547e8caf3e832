"""Co-production groups: who is in them, over time, and their working agreements."""
