from withpeople.testing.access import Case  # noqa: F401

CASES: dict = {}
