"""What a terminal sends when a key is pressed, turned into the key names a session follows.

One read from a terminal can hold several keys (typed fast, or a key held down), and one key
can be several bytes (an arrow is `ESC [ A`). `split_keys` reads them all, in order. It knows
the defaults of the terminals people use: xterm and the Linux console, macOS Terminal and
iTerm2 (the Option key, the Delete key, arrows in application mode) and Windows Terminal
with virtual-terminal input. Keys that no session uses (function keys, Home, Page Up) are
left out, so they neither count as Escape nor end a wait early.
"""

from __future__ import annotations

# Names for keys that arrive as escape sequences or control bytes.
ESCAPE = "escape"
ENTER = "enter"
BACKSPACE = "backspace"  # Delete on a Mac keyboard sends DEL (0x7f), Backspace elsewhere too
DELETE = "delete"  # forward delete (fn-Delete on a Mac)
UP, DOWN, RIGHT, LEFT = "up", "down", "right", "left"

_ESC = "\x1b"
# CSI (ESC [) and SS3 (ESC O) sequences end in a letter: A-D are the arrows in both normal and
# application cursor mode, with or without modifier parameters (ESC [ 1 ; 3 D is Option-Left
# in iTerm2, ESC [ 1 ; 2 A Shift-Up).
_ARROWS = {"A": UP, "B": DOWN, "C": RIGHT, "D": LEFT}
# SS3 from the numeric keypad in application keypad mode: Enter, + and -, the digits.
_KEYPAD = {"M": ENTER, "k": "+", "m": "-", **{chr(ord("p") + n): str(n) for n in range(10)}}
# CSI <number> ~: only forward delete means anything (Insert, Home, Page Up ... do not).
_TILDE = {"3": DELETE}
# Option-Space on a Mac keyboard types a no-break space (Terminal and iTerm2 by default): a
# person who reaches for the space bar with Option held means space.
_SAME_AS = {"\xa0": " "}


def split_keys(data: str) -> list[str]:
    """Every key in `data`, in order, as the names a session follows: a printable character
    stands for itself; ENTER, ESCAPE, BACKSPACE, DELETE and the arrows are named; keys no
    session uses are left out.

    Option (Alt, Meta) pressed with a key arrives as ESC and the key (macOS Terminal with
    "Use Option as Meta key", iTerm2 with "Esc+", xterm's metaSendsEscape); backcoach gives
    modifiers no meaning, so it is that key: Option-h is still "this hurts".
    """
    keys: list[str] = []
    at = 0
    while at < len(data):
        char = data[at]
        if char == _ESC:
            key, at = _escape(data, at)
        elif data.startswith("\r\n", at):  # a line end some terminals send: one Enter
            key, at = ENTER, at + 2
        else:
            key, at = _single(char), at + 1
        if key is not None:
            keys.append(key)
    return keys


def _single(char: str) -> str | None:
    if char in "\r\n":
        return ENTER
    if char in "\x7f\x08":
        return BACKSPACE
    if char in _SAME_AS:
        return _SAME_AS[char]
    if char < " ":  # other control characters (Tab, Ctrl-letters) name no key
        return None
    return char


def _escape(data: str, at: int) -> tuple[str | None, int]:
    """The key that starts with the ESC at `at`, and where the next key starts."""
    follower = data[at + 1] if at + 1 < len(data) else ""
    if follower == "[":
        return _csi(data, at + 2)
    if follower == "O" and at + 2 < len(data):
        final = data[at + 2]
        return _ARROWS.get(final, _KEYPAD.get(final)), at + 3
    if follower and follower != _ESC:  # Option/Alt/Meta with a key: the key itself
        return _single(follower), at + 2
    return ESCAPE, at + 1  # Escape alone, or the first of two Escapes


def _csi(data: str, start: int) -> tuple[str | None, int]:
    """A CSI sequence's key: its parameters run up to a final byte from @ to ~."""
    end = start
    while end < len(data) and not "@" <= data[end] <= "~":
        end += 1
    if end >= len(data):  # cut off mid-sequence: nothing usable
        return None, end
    final, parameters = data[end], data[start:end]
    if final == "~":
        return _TILDE.get(parameters.split(";")[0]), end + 1
    return _ARROWS.get(final), end + 1
