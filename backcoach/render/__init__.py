"""Views of a running session: live (rich), plain (a line per change) and jsonl (events)."""
