"""Record: the base of small classes that hold values, defined without generating code.

A dataclass compiles its `__init__`, `__repr__` and `__eq__` (more when frozen) while its module
loads: 0.4 to 1.5 ms a class, cold. The session's first frame used to load six, 5 to 9 ms of it.
A Record subclass lists its fields in `__slots__` and writes its own `__init__` (the one method
that differs); equality and repr come from here and read the slots, so defining the class costs
about what any class costs (tens of microseconds).
"""

from __future__ import annotations

from typing import Any, ClassVar


def set_once(target: object, **values: Any) -> None:
    """Set the fields of a read-only object (a frozen record, a session event), in its
    `__init__` only: its own `__setattr__` refuses any assignment after."""
    for name, value in values.items():
        object.__setattr__(target, name, value)


class Record:
    """Fields in `__slots__` (each an argument of `__init__` by the same name, which the
    library cache relies on; a subclass of a record adds its own to its parent's); equal when
    of the same class with equal fields. Not hashable (Python drops `__hash__` from a class
    that defines `__eq__`): see FrozenRecord."""

    __slots__: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[tuple[str, ...]] = ()  # every field, the parent's first

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._names = tuple(name for klass in reversed(cls.__mro__)
                           for name in klass.__dict__.get("__slots__", ()))

    def _compared(self) -> tuple[Any, ...]:
        """The fields that equality (and a frozen record's hash) looks at: all of them."""
        return tuple(getattr(self, name) for name in self._names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or type(other) is not type(self):
            return NotImplemented
        # Tuples compare by identity first, as a dataclass does (a NaN equals itself).
        return self._compared() == other._compared()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names)
        return f"{type(self).__name__}({fields})"

    def fields(self) -> dict[str, Any]:
        """Each field by name."""
        return {name: getattr(self, name) for name in self._names}


class FrozenRecord(Record):
    """A record that cannot change once made, as a frozen dataclass: its `__init__` sets the
    fields with `set_once`, assigning to one raises FrozenInstanceError, and it is hashable."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        from dataclasses import FrozenInstanceError  # the error a frozen dataclass raises

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._compared())
