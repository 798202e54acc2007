"""Shell completion of routine and exercise ids (bash, zsh, fish: `backcoach
--install-completion`).

The library is read only when the shell asks for a completion, never when a command runs:
these functions are called by typer's completion machinery alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog


def _catalog() -> Catalog | None:
    """The library in force, or None when it cannot be read (a completion never fails loudly:
    the shell would print the error in the middle of the line being typed)."""
    try:
        from backcoach.library.catalog import load_catalog

        return load_catalog(strict=False)
    except Exception:  # any failure means "no suggestions"
        return None


def _matching(names: dict[str, str], incomplete: str) -> list[tuple[str, str]]:
    return [(ident, name) for ident, name in sorted(names.items()) if ident.startswith(incomplete)]


def complete_routine(incomplete: str) -> list[tuple[str, str]]:
    """Routine ids starting with what was typed, each with its name."""
    catalog = _catalog()
    if catalog is None:
        return []
    return _matching({r.id: r.name for r in catalog.routines.values()}, incomplete)


def complete_exercise(incomplete: str) -> list[tuple[str, str]]:
    """Exercise ids (and their other names) starting with what was typed."""
    catalog = _catalog()
    if catalog is None:
        return []
    names = {e.id: e.name for e in catalog.exercises.values()}
    names.update({alias: e.name for e in catalog.exercises.values() for alias in e.aliases})
    return _matching(names, incomplete)


def complete_any(incomplete: str) -> list[tuple[str, str]]:
    """Routine and exercise ids starting with what was typed."""
    return sorted(complete_routine(incomplete) + complete_exercise(incomplete))
