# mk/fuzz.mk - fuzzing the flag server's request parser (server/http.c).
#
#   make fuzz                  libFuzzer + ASan + UBSan for FUZZ_SECONDS (600)
#                              on fuzz/seeds/http with fuzz/http.dict; new inputs
#                              go to build/fuzz/corpus, crashes to build/fuzz/
#   make fuzz FUZZ_SECONDS=60  a shorter run
#   make fuzz-build            only build build/fuzz/http_request
#
# Not part of `make test`; what is (tests/flagserver-fuzz.bats) is the replay
# of the seeds through the same target: $(BIN)/fuzz-http-replay, built with
# the variants (plain and under the sanitizers).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_DIR     := build/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(FUZZ_DIR)/http_request: fuzz/http_request.c server/http.c server/http.h mk/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Wall -Wextra -Iserver -o $@ fuzz/http_request.c server/http.c

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_DIR)/http_request

fuzz: $(FUZZ_DIR)/http_request
	@mkdir -p $(FUZZ_DIR)/corpus
	cd $(FUZZ_DIR) && ./http_request -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=16384 -dict=../../fuzz/http.dict -print_final_stats=1 \
	    corpus ../../fuzz/seeds/http
	@echo "fuzz: corpus $(FUZZ_DIR)/corpus: $$(ls $(FUZZ_DIR)/corpus | wc -l) inputs;" \
	    "crashes: $$(ls $(FUZZ_DIR) | grep -c '^crash-\|^leak-\|^timeout-\|^oom-')"

# The replay driver: the same target without libFuzzer.
FUZZ_REPLAY_OBJ := $(OBJ)/fuzz/http_request.o $(OBJ)/fuzz/replay.o $(OBJ)/server/http.o
$(FUZZ_REPLAY_OBJ): CPPFLAGS += -Iserver
$(BIN)/fuzz-http-replay: $(FUZZ_REPLAY_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
EXTRA_PROGRAMS += $(BIN)/fuzz-http-replay
