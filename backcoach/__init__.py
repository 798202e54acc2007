"""backcoach: a guided home-exercise coach for lower back and neck pain."""

__version__ = "0.1.0"
