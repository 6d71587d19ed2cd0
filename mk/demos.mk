# mk/demos.mk - the notes' coroutine demonstrations (issue 14): every
# demos/<name>.c becomes $(BIN)/demo-<name>, linked with bench/ (bench/coro);
# every demos/<name>.py a launcher $(BIN)/demo-<name>-py that runs it with
# Debian's /usr/bin/python3 (python3-greenlet). Each prints one JSON record.

DEMO_C      := $(wildcard demos/*.c)
DEMO_PY     := $(wildcard demos/*.py)
DEMO_PROGRAMS := $(patsubst demos/%.c,$(BIN)/demo-%,$(DEMO_C)) \
                 $(patsubst demos/%.py,$(BIN)/demo-%-py,$(DEMO_PY))

$(BIN)/demo-%: $(OBJ)/demos/%.o $(BENCH_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/demo-%-py: demos/%.py mk/demos.mk
	@mkdir -p $(@D)
	@printf '#!/bin/sh\n# launcher for %s (made by mk/demos.mk)\nexec /usr/bin/python3 %s "$$@"\n' \
	    '$<' '$(abspath $<)' > $@.tmp
	@chmod +x $@.tmp && mv $@.tmp $@
	@echo "python launcher $@"

EXTRA_PROGRAMS += $(DEMO_PROGRAMS)
.SECONDARY: $(patsubst demos/%.c,$(OBJ)/demos/%.o,$(DEMO_C))

.PHONY: demos
demos: $(DEMO_PROGRAMS)
