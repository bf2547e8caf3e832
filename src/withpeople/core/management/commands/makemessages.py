"""Django's makemessages, also collecting labels marked with `N_`.

The pure domain package (withpeople.domain) has no Django, so it marks labels for translation
with the no-op `N_` rather than gettext; xgettext must be told to look for it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
