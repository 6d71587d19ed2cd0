# mk/python.mk - the Python variants (issue 6): every workloads/<w>/py-<m>.py
# becomes an executable launcher $(BIN)/<w>-py-<m>, a two-line sh script that
# runs the .py by its absolute path with Debian's /usr/bin/python3 (with
# Debian's python3-requests, -aiohttp, -tqdm and -gevent, see scripts/deps.sh) and with bench/ on PYTHONPATH so `import bench` finds
# bench/bench.py. Bytecode caches go under the build tree, not the sources.

PYTHON          := /usr/bin/python3
PY_SOURCES      := $(wildcard workloads/*/py-*.py)
PY_PROGRAMS     := $(foreach source,$(PY_SOURCES),$(BIN)/$(word 2,$(subst /, ,$(source)))-$(basename $(notdir $(source))))
PY_BENCH_DIR    := $(abspath bench)
PY_CACHE_DIR    := $(abspath $(ROOT)/build/pycache)

define python_launcher_rule
$(BIN)/$(1)-$(2): workloads/$(1)/$(2).py mk/python.mk
	@mkdir -p $$(@D)
	@printf '#!/bin/sh\n# launcher for %s (made by mk/python.mk)\nexport PYTHONPATH=%s PYTHONPYCACHEPREFIX=%s\nexec %s %s "$$$$@"\n' \
	    '$$<' '$(PY_BENCH_DIR)' '$(PY_CACHE_DIR)' '$(PYTHON)' '$$(abspath $$<)' > $$@.tmp
	@chmod +x $$@.tmp && mv $$@.tmp $$@
	@echo "python launcher $$@"
endef
$(foreach source,$(PY_SOURCES),$(eval $(call python_launcher_rule,$(word 2,$(subst /, ,$(source))),$(basename $(notdir $(source))))))

EXTRA_PROGRAMS += $(PY_PROGRAMS)

.PHONY: python-variants
python-variants: $(PY_PROGRAMS)
