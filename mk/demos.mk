# mk/demos.mk - the notes' coroutine demonstrations (issue 14): every
# demos/<name>.c becomes $(BIN)/demos/<name>, linked with bench/ (bench/coro);
# every demos/<name>.py a launcher $(BIN)/demos/<name>-py that runs it with
# Debian's /usr/bin/python3 (python3-greenlet). Each prints one JSON record.
# In a folder of their own: scripts/bench.sh times every bin/<w>-<m> it finds.

DEMO_C      := $(wildcard demos/*.c)
DEMO_PY     := $(wildcard demos/*.py)
DEMO_BIN      := $(BIN)/demos
DEMO_PROGRAMS := $(patsubst demos/%.c,$(DEMO_BIN)/%,$(DEMO_C)) \
                 $(patsubst demos/%.py,$(DEMO_BIN)/%-py,$(DEMO_PY))

$(DEMO_BIN)/%: $(OBJ)/demos/%.o $(BENCH_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(DEMO_BIN)/%-py: demos/%.py mk/demos.mk
	@mkdir -p $(@D)
	@printf '#!/bin/sh\n# launcher for %s (made by mk/demos.mk)\nexec /usr/bin/python3 %s "$$@"\n' \
	    '$<' '$(abspath $<)' > $@.tmp
	@chmod +x $@.tmp && mv $@.tmp $@
	@echo "python launcher $@"

EXTRA_PROGRAMS += $(DEMO_PROGRAMS)
.SECONDARY: $(patsubst demos/%.c,$(OBJ)/demos/%.o,$(DEMO_C))

.PHONY: demos
demos: $(DEMO_PROGRAMS)
