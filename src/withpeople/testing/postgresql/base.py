"""PostgreSQL for the test suite: Django's own backend, emptying tables with DELETE.

Between transactional tests (real commits, and those that run a worker or a live server) Django
empties every table. Its PostgreSQL backend does that with one TRUNCATE of all of them, and a
TRUNCATE makes PostgreSQL look through all its shared buffers for each table it replaces: a
quarter of a second for our 90-odd tables on an idle machine, three to four seconds on a busy
one. The tables of a test are small, and a DELETE of each takes a fiftieth of a second. The
foreign keys Django makes on PostgreSQL are checked at commit (DEFERRABLE INITIALLY DEFERRED),
so the order of the DELETEs does not matter. Everything else is PostgreSQL as in production;
docs/decisions/0010-test-suite.md says why.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Within the flush's transaction; every constraint Django makes can wait for the commit.
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
