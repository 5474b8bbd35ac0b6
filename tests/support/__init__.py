"""What several test modules share, so that no test module imports another:
project (a copy of the project to build, stand-in PDFs), pages (the handbook's data and
the site's pages, screen sizes), data (the data folder and its mistakes), pdf (printed
text), records (the record view of a type page) and quality (axe, settled animations)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
