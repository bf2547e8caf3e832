"""The `withpeople` command: everything `manage.py` does, plus the project's own commands.

`withpeople assess FILE [--json]` needs neither the database nor any setting, so it runs before
Django starts: starting Django takes far longer than assessing even a large record, and would
refuse to start without `DEBUG` or `SECRET_KEY`. Anything else given to `assess` (`--help`,
Django's own options, a usage mistake) goes to the management command, which prints the same.
"""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "assess":
        arguments = _assess_arguments(sys.argv[2:])
        if arguments is not None:
            # Imported here, so that other commands do not pay for it; it imports no Django.
            from withpeople.works.record_io import assess_file

            path, as_json = arguments
            assess_file(path, as_json=as_json, stdout=sys.stdout, stderr=sys.stderr)
            return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


def _assess_arguments(arguments: list[str]) -> tuple[str, bool] | None:
    """FILE and whether `--json` was given, when that is all there is; otherwise None."""
    paths = [argument for argument in arguments if argument != "--json"]
    if len(paths) != 1 or (paths[0].startswith("-") and paths[0] != "-"):
        return None
    return paths[0], "--json" in arguments


if __name__ == "__main__":
    main()
