"""Record: the base of small classes that hold values, defined without generating code.

A dataclass compiles its `__init__`, `__repr__` and `__eq__` (more when frozen) while its module
loads: 0.4 to 1.5 ms a class, cold. The session's first frame used to load six, about 5 ms of it.
A Record subclass lists its fields in `__slots__` and writes its own `__init__` (the one method
that differs); equality and repr come from here and read the slots, so defining the class costs
about what any class costs (tens of microseconds).
"""

from __future__ import annotations

from typing import Any, ClassVar


class Record:
    """Fields in `__slots__` (each an argument of `__init__` by the same name, which the
    library cache relies on); equal when of the same class with equal fields. Not hashable
    (Python drops `__hash__` from a class that defines `__eq__`), unless a subclass that is
    never changed defines its own."""

    __slots__: ClassVar[tuple[str, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def fields(self) -> dict[str, Any]:
        """Each field by name, in the order of `__slots__`."""
        return {name: getattr(self, name) for name in self.__slots__}
