"""Which catalog keys the bot needs: extracted from the code with Babel, plus the keys that
follow from data (pictograms, answer options, categories, slot types, roles, commands).

`python -m oudersbot.translation.keys locales/oudersbot.pot` writes the template that
`pybabel update` merges into every language (see `make catalogs`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import get_args

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from oudersbot.calendar_files.rules_file import RulesCode
from oudersbot.domain.answers import ANSWER_OPTIONS, answer_key
from oudersbot.domain.calendar import CalendarCode
from oudersbot.domain.commands import all_staff_commands
from oudersbot.domain.pictograms import Category
from oudersbot.domain.slots import SlotType
from oudersbot.translation.phrasebook import Phrasebook

# The calls whose second argument is a catalog key: words.text(language, key), words.plural(
# language, key, n), and the CLI's say(deps, key) / fail(deps, key); and Phrase(key), staff words
# inside a calendar file's problem.
KEYWORDS: dict[str, tuple[int, ...]] = {
    name: (2,) for name in ("text", "plural", "say", "fail", "_say", "_fail")
}
KEYWORDS["Phrase"] = (1,)
PLURAL_SUFFIX = ".plural"


def extracted_keys(source_dir: Path) -> dict[str, list[tuple[str, int]]]:
    """Literal keys in the code, with where they are used."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(source_dir),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
    ):
        key = message if isinstance(message, str) else message[0]
        if "." in key and " " not in key:
            found.setdefault(key, []).append((filename, lineno))
    # The staff desk's templates say t("key") and tn("key", n) (web/templates).
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(source_dir),
        method_map=[("web/templates/**.html", "jinja2.ext:babel_extract")],
        keywords={"t": (1,), "tn": (1,)},
        comment_tags=(),
    ):
        key = message if isinstance(message, str) else message[0]
        if "." in key and " " not in key:
            found.setdefault(key, []).append((filename, lineno))
    return found


def data_keys(
    phrasebook: Phrasebook, commands: tuple[str, ...], roles: tuple[str, ...]
) -> set[str]:
    """Keys built from data at run time (f"picto.{key}", a calendar file problem's code and the
    like)."""
    keys = {f"category.{c.value}" for c in Category}
    keys |= {f"picto.{key}" for key in phrasebook.pictograms.by_key if key not in set(Category)}
    keys |= {answer_key(option) for option in ANSWER_OPTIONS}
    keys |= {f"cli.slot.{kind.value}" for kind in SlotType}
    keys |= {f"command.{name}" for name in commands}
    keys |= {f"staff_command.{name}" for name in all_staff_commands()}
    keys |= {f"role.{role}" for role in roles}
    keys |= {f"calendar_file.{code}" for code in get_args(CalendarCode)}
    keys |= {f"rules_file.{code}" for code in get_args(RulesCode)}
    from oudersbot.store.models import MessageKind  # like Role in main(): only for the tool

    keys |= {f"staff.kind.{kind.value}" for kind in MessageKind}
    return keys


def pot(keys: set[str], dutch: Catalog) -> Catalog:
    """A catalog template with every key of the Dutch catalog (the source of truth, which also
    holds the keys the code picks by variable) and every needed key, plural ones as plurals."""
    catalog = Catalog(project="oudersbot", domain="oudersbot", fuzzy=False)
    plurals = {m.id[0]: m.id for m in dutch if m.id and not isinstance(m.id, str)}
    for key in sorted(keys | {m.id if isinstance(m.id, str) else m.id[0] for m in dutch if m.id}):
        catalog.add(plurals.get(key, key))
    return catalog


def main(argv: list[str]) -> int:
    """Write the .pot file named on the command line."""
    from oudersbot.domain.commands import PARENT_COMMANDS as COMMANDS
    from oudersbot.settings import PACKAGE_DIR
    from oudersbot.store.models import Role

    target = Path(argv[1]) if len(argv) > 1 else PACKAGE_DIR / "locales" / "oudersbot.pot"
    book = Phrasebook.load(PACKAGE_DIR / "messages")
    keys = set(extracted_keys(PACKAGE_DIR))
    keys |= data_keys(book, COMMANDS, tuple(r.value for r in Role))
    with (PACKAGE_DIR / "locales" / "nl" / "LC_MESSAGES" / "oudersbot.po").open("rb") as source:
        dutch = read_po(source, locale="nl")
    with target.open("wb") as handle:
        write_po(handle, pot(keys, dutch), omit_header=False, sort_output=True)
    sys.stdout.write(f"{target}: {len(keys)} keys used by the code and the data\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
