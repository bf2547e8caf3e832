"""Django's makemessages, also collecting the words the domain marks for translation.

The pure domain package (withpeople.domain) has no Django, so it marks words for translation
with the no-op `N_` and the messages `say` and `say_n` (withpeople.domain.text) rather than
gettext; xgettext must be told to look for them.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=N_",
        "--keyword=say",
        "--keyword=say_n:1,2",
    ]
