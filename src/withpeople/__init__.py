"""WithPeople: plan, run and honestly assess co-production with the people who use services."""

__version__ = "0.1.0"
