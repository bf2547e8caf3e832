"""The rules of WithPeople in plain Python.

Nothing in this package imports Django: the rules read like the policy they implement and are
tested without a database.
"""
