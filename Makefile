# Shortcuts for scripts/dev.py (which needs only Python; on Windows run it with `py`).
PY ?= python3

.PHONY: serve test build check bench-search pdf offline bench
serve:
	$(PY) scripts/dev.py serve
test:
	$(PY) scripts/dev.py test
build:
	$(PY) scripts/dev.py build
check:
	$(PY) scripts/dev.py check
bench-search:
	$(PY) scripts/dev.py bench-search $(QUERIES)
pdf:
	$(PY) scripts/dev.py pdf
offline:
	$(PY) scripts/dev.py offline
bench:
	$(PY) scripts/dev.py bench
