"""studycli: spaced-repetition study for AI / ML / LLM engineering interviews."""

__version__ = "0.1.0"
