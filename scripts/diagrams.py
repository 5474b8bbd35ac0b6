"""The diagrams' SVG cache (macros/diagram-svg/, see macros/diagrams.py).

Usage (in .venv; Windows: .venv\\Scripts\\python -m scripts.diagrams …):
  python -m scripts.diagrams check    each diagram of data/ and whether its SVG is cached
  python -m scripts.diagrams render   draw the missing ones (as a build does; needs Chromium)
  python -m scripts.diagrams prune    delete the cached SVGs that data/ no longer uses
"""

from __future__ import annotations

import sys

from macros.diagrams import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
