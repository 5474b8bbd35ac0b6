"""Command-line tools of the handbook (run them through scripts/dev.py)."""
