# Shortcuts for scripts/dev.py (which needs only Python; on Windows run it with `py`).
# e.g. make test, make test ARGS="-k search", make bench-search ARGS=my-queries.tsv
PY ?= python3
COMMANDS := serve test build check offline pdf publish bench bench-search data-reference lock fidelity

.PHONY: $(COMMANDS)
$(COMMANDS):
	$(PY) scripts/dev.py $@ $(ARGS)
