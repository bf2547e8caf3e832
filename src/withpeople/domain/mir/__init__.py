"""Making It Real: Think Local Act Personal's framework of I and We statements.

I statements say what good care and support looks like to a person; We statements say what an
organisation commits to. This package holds the rules for frameworks of such statements, for
people's answers to the I statements, and for the results worked out from those answers, in
plain Python with no Django, so they read like the policy they implement.
"""
