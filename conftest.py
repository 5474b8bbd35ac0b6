"""pytest's entry: the shared fixtures and hooks (tests/support/fixtures.py) for the
project's tests in tests/ and for each component's own tests in components/<name>/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from support import fixtures  # noqa: E402

# pytest finds fixtures and hooks by name in this module (private ones too: _httpd).
globals().update({k: v for k, v in vars(fixtures).items() if not k.startswith("__")})
