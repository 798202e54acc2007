"""A short user routine shared by the session and storage fault tests."""

# chin-tuck without sides: setup 1 s, then two holds of 4 s with a 1 s rest (10 s planned).
QUICK = """id: quick
name: Quick check
exercises:
  - id: chin-tuck
    hold: 4s
    reps: 2
    rest: 1s
    setup: 1s
"""
