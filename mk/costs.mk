# mk/costs.mk - bin/costs (issue 15): what a unit of each model costs, from
# costs/*.c and the harness; costs/py-costs.py becomes the launcher
# bin/costs-py (the Python figures), made the way mk/python.mk makes the
# Python variants' launchers.

COSTS_OBJ := $(patsubst %.c,$(OBJ)/%.o,$(wildcard costs/*.c))

$(BIN)/costs: $(COSTS_OBJ) $(BENCH_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fopenmp -o $@ $^ $(LDLIBS)

$(BIN)/costs-py: costs/py-costs.py mk/costs.mk
	@mkdir -p $(@D)
	@printf '#!/bin/sh\n# launcher for %s (made by mk/costs.mk)\nexport PYTHONPATH=%s PYTHONPYCACHEPREFIX=%s\nexec %s %s "$$@"\n' \
	    '$<' '$(PY_BENCH_DIR)' '$(PY_CACHE_DIR)' '$(PYTHON)' '$(abspath $<)' > $@.tmp
	@chmod +x $@.tmp && mv $@.tmp $@

EXTRA_PROGRAMS += $(BIN)/costs $(BIN)/costs-py
-include $(COSTS_OBJ:.o=.d)
