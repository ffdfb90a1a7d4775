"""The column headers a roster may carry: ours, and those of the school administrations
(Informat, Wisa, Smartschool), in Dutch and English. Data, not code: one table.

A header is compared after `header_key`: lower case, and `_`, `-`, `.`, `:` and runs of spaces
read as one space ("Leerling_ID", "leerling-id" and "Leerling ID" are one name). Every name
belongs to exactly one column, so a header is never read two ways; a bare "id", "nummer" or
"naam" is not accepted because it could be the child's as well as the parent's.
"""

from __future__ import annotations

import re
from typing import Literal

ColumnKey = Literal["class", "child", "guardian", "language", "phone", "child_id", "guardian_id"]

# The first name of each tuple is the one we print in problems.
HEADERS: dict[ColumnKey, tuple[str, ...]] = {
    "class": ("klas", "class", "group", "groep", "klasgroep", "klasnaam", "class name"),
    "child": (
        "kind",
        "child",
        "leerling",
        "voornaam kind",
        "voornaam leerling",
        "roepnaam leerling",
        "child first name",
        "pupil first name",
        "student first name",
        "pupil",
        "student",
    ),
    "guardian": (
        "ouder",
        "guardian",
        "parent",
        "naam ouder",
        "ouder naam",
        "guardian name",
        "parent name",
    ),
    "language": ("taal", "language", "thuistaal", "home language", "lang"),
    "phone": (
        "telefoon",
        "phone",
        "gsm",
        "tel",
        "telefoonnummer",
        "gsm nummer",
        "gsmnummer",
        "mobiel",
        "mobile",
        "phone number",
        "mobile phone",
        "gsm ouder",
        "telefoon ouder",
    ),
    # The school's own pupil id: the child's identity when the file has it.
    "child_id": (
        "leerling id",
        "leerlingnummer",
        "leerling nummer",
        "leerlingid",
        "stamboeknummer",
        "stamnummer",
        "intern nummer",
        "internnummer",
        "internal number",
        "pupil id",
        "pupil number",
        "student id",
        "student number",
        "child id",
        "kind id",
    ),
    # The school's own parent (contact) id: the guardian's identity when the file has it.
    "guardian_id": (
        "ouder id",
        "ouderid",
        "oudernummer",
        "ouder nummer",
        "contact id",
        "contactid",
        "contactnummer",
        "relatienummer",
        "relatie id",
        "relatie nummer",
        "parent id",
        "parent number",
        "guardian id",
        "guardian number",
    ),
}
REQUIRED: tuple[ColumnKey, ...] = ("class", "child", "guardian", "language")

_SEPARATORS = re.compile(r"[\s_\-.:]+")


def header_key(raw: str) -> str:
    """A header as it is compared: lower case, separators as one space."""
    return _SEPARATORS.sub(" ", raw.strip().casefold()).strip()


def _by_name() -> dict[str, ColumnKey]:
    found: dict[str, ColumnKey] = {}
    for key, names in HEADERS.items():
        for name in names:
            normal = header_key(name)
            if normal in found:  # pragma: no cover - the table is checked by a test
                raise ValueError(f"header {name!r} is both {found[normal]} and {key}")
            found[normal] = key
    return found


BY_NAME: dict[str, ColumnKey] = _by_name()


def column_of(raw: str) -> ColumnKey | None:
    """The column a header names, if any."""
    return BY_NAME.get(header_key(raw))


def printed(key: ColumnKey) -> str:
    """The name we print for a column."""
    return HEADERS[key][0]
