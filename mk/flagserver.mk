# mk/flagserver.mk - the flag server (server/*.c -> $(BIN)/flagserver), its
# unit test, and `make serve` / `make serve-stop` (the LOCAL, DELAY and ERROR
# servers of the flags example, in the background).
#
# The country list data/countries.tsv becomes a C table at build time, so
# the binary needs no data file at run time.

# One binary per server model, server/<model>.c -> $(BIN)/flagserver-<model>,
# over the model-free core (every other server/*.c but connection.c, which is
# the event loop's). bin/flagserver is the eventloop model.
FLAGSERVER_MODELS := iterative fork pthread prefork pool eventloop
FLAGSERVER_CORE_OBJ := $(patsubst %.c,$(OBJ)/%.o,$(filter-out $(FLAGSERVER_MODELS:%=server/%.c) server/connection.c,$(wildcard server/*.c))) $(OBJ)/server/countries.o
FLAGSERVER_OBJ := $(FLAGSERVER_CORE_OBJ) $(patsubst %,$(OBJ)/server/%.o,$(FLAGSERVER_MODELS) connection)
# The parts the unit test links: the core (it has no main).
FLAGSERVER_PARTS_OBJ := $(FLAGSERVER_CORE_OBJ)

$(BIN)/flagserver-eventloop: $(OBJ)/server/connection.o
$(BIN)/flagserver-%: $(OBJ)/server/%.o $(FLAGSERVER_CORE_OBJ) $(BENCH_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BIN)/flagserver: $(BIN)/flagserver-eventloop
	cp $< $@
EXTRA_PROGRAMS += $(BIN)/flagserver $(FLAGSERVER_MODELS:%=$(BIN)/flagserver-%)

$(FLAGSERVER_OBJ) $(OBJ)/tests/unit/test_flagserver.o: CPPFLAGS += -Iserver

# Each line "CC<TAB>Name" becomes {"CC", "Name"}; the codes must be two
# uppercase letters in increasing order (the server looks them up by index).
$(OBJ)/server/countries.c: data/countries.tsv mk/flagserver.mk
	@mkdir -p $(@D)
	awk -F'\t' ' \
	  BEGIN { print "/* Generated from data/countries.tsv by mk/flagserver.mk: do not edit. */"; \
	          print "#include \"flags.h\""; print "const country countries[] = {" } \
	  NF != 2 || $$1 !~ /^[A-Z][A-Z]$$/ || $$1 <= previous || $$2 ~ /["\\]/ { \
	          printf "%s:%d: expected CC<TAB>Name in order: %s\n", FILENAME, NR, $$0 > "/dev/stderr"; bad = 1; exit 1 } \
	  { printf "    {\"%s\", \"%s\"},\n", $$1, $$2; previous = $$1 } \
	  END { if (bad) exit 1; print "};"; print "const size_t country_count = sizeof countries / sizeof countries[0];" }' \
	  $< > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

$(OBJ)/server/countries.o: $(OBJ)/server/countries.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The Makefile's unit rule links tests/unit/test_flagserver.c with the
# (absent) workloads/flagserver kernel; these are the objects it needs.
$(UNIT)/test_flagserver: $(FLAGSERVER_PARTS_OBJ)

# ---- the three servers of the flags example --------------------------------
FLAGS_SERVERS_DIR ?= build/servers
.PHONY: serve serve-stop
serve: $(BIN)/flagserver
	@FLAGSERVER=$(BIN)/flagserver scripts/flagservers.sh start $(FLAGS_SERVERS_DIR)

serve-stop:
	@scripts/flagservers.sh stop $(FLAGS_SERVERS_DIR)
