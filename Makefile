# The only entry point. `make help` lists the targets.
#
# Every workloads/<w>/<model>.c becomes bin/<w>-<model>, linked with the
# workload's kernel*.c and the harness in bench/. Nothing here names a
# workload or a model: add a folder or a file and it is built.

CC       ?= cc
CXX      ?= c++
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g -Wall -Wextra -std=gnu11
CXXFLAGS ?= $(OPT) -g -Wall -Wextra -std=gnu++17
CPPFLAGS += -Ibench -MMD -MP
CFLAGS   += $(EXTRA_CFLAGS)
CXXFLAGS += $(EXTRA_CFLAGS)
LDLIBS   += -pthread -lm

# make SAN=address (ASan + UBSan) or SAN=thread (TSan): a separate tree under build/.
# OUT=dir puts the whole plain tree elsewhere (bin/ becomes dir/bin).
OUT ?= .
SAN ?=
ifeq ($(SAN),)
  ROOT     := $(OUT)
else ifeq ($(SAN),address)
  ROOT     := $(OUT)/build/asan
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),thread)
  ROOT     := $(OUT)/build/tsan
  SANFLAGS := -fsanitize=thread
else
  $(error SAN must be address or thread, not '$(SAN)')
endif
ifneq ($(SANFLAGS),)
  OPT := -O1
  CFLAGS += $(SANFLAGS)
  CXXFLAGS += $(SANFLAGS)
  LDFLAGS += $(SANFLAGS)
endif
BIN  := $(ROOT)/bin
OBJ  := $(ROOT)/build/obj
UNIT := $(ROOT)/build/unit

BENCH_SRC := $(wildcard bench/*.c)
BENCH_OBJ := $(BENCH_SRC:%.c=$(OBJ)/%.o)

WORKLOADS := $(patsubst workloads/%/,%,$(dir $(wildcard workloads/*/kernel.c)))
# Per-workload extras, such as http_LDLIBS = -lcurl, and further build rules.
-include $(wildcard workloads/*/build.mk) $(wildcard mk/*.mk)

kernel_objects = $(patsubst %.c,$(OBJ)/%.o,$(wildcard workloads/$(1)/kernel*.c))
# Code that some models of a workload share is no variant and no kernel: its
# build.mk names it and the variants that link it (sort_SHARED := queue_pthread,
# sort_fork_LINKS := queue_pthread). The unit test of the workload links it all.
# mpi*.c are built by mk/mpi.mk, with mpicc.
shared_objects = $(patsubst %,$(OBJ)/workloads/$(1)/%.o,$(2))
c_variants     = $(filter-out kernel% mpi% $($(1)_SHARED),$(notdir $(basename $(wildcard workloads/$(1)/*.c))))
cxx_variants   = $(notdir $(basename $(wildcard workloads/$(1)/*.cpp)))

# One link rule per variant, generated.
define variant_rules
$(BIN)/$(1)-$(2): $(OBJ)/workloads/$(1)/$(2).o $(call kernel_objects,$(1)) $(call shared_objects,$(1),$($(1)_$(2)_LINKS)) $(BENCH_OBJ)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) $$(if $$(findstring openmp,$(2)),-fopenmp) -o $$@ $$^ $$($(1)_LDLIBS) $$(LDLIBS)
VARIANTS += $(BIN)/$(1)-$(2)
endef
define cxx_variant_rules
$(BIN)/$(1)-$(2): $(OBJ)/workloads/$(1)/$(2).o $(call kernel_objects,$(1)) $(BENCH_OBJ)
	@mkdir -p $$(@D)
	$$(CXX) $$(LDFLAGS) -fopenmp -o $$@ $$^ $$($(1)_LDLIBS) $$(LDLIBS)
VARIANTS += $(BIN)/$(1)-$(2)
endef
$(foreach w,$(WORKLOADS),$(foreach m,$(call c_variants,$(w)),$(eval $(call variant_rules,$(w),$(m)))))
$(foreach w,$(WORKLOADS),$(foreach m,$(call cxx_variants,$(w)),$(eval $(call cxx_variant_rules,$(w),$(m)))))

.PHONY: all variants deps clean test bench report labs help
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory variants

variants: $(VARIANTS) $(EXTRA_PROGRAMS)

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(if $(findstring openmp,$(notdir $*)),-fopenmp) -c -o $@ $<

# C++ reference rows (libstdc++ parallel mode) are built with OpenMP.
$(OBJ)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -fopenmp -c -o $@ $<

# ---- unit tests (Criterion): tests/unit/test_<w>.c links workload <w>'s kernel ----
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(UNIT)/%,$(UNIT_SRC))
define unit_rule
$(UNIT)/$(1): $(OBJ)/tests/unit/$(1).o $(call kernel_objects,$(patsubst test_%,%,$(1))) $(call shared_objects,$(patsubst test_%,%,$(1)),$($(patsubst test_%,%,$(1))_SHARED)) $(BENCH_OBJ)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ -lcriterion $$($(patsubst test_%,%,$(1))_LDLIBS) $$(LDLIBS)
endef
$(foreach t,$(basename $(notdir $(UNIT_SRC))),$(eval $(call unit_rule,$(t))))

unit-tests: $(UNIT_TESTS)

# ---- the two commands of the README, and friends ----
deps:
	@scripts/deps.sh build

test:
	@scripts/deps.sh test
	@tests/run

bench: all
	@scripts/bench.sh

report:
	@scripts/report.sh $(RESULTS)

clean:
	rm -rf $(OUT)/bin $(OUT)/build

help:
	@echo "make              build every variant into bin/"
	@echo "make test         build with and without sanitizers and run every test"
	@echo "make bench        check, time and plot every variant, then write REPORT.md"
	@echo "make report       REPORT.md from the newest results folder (RESULTS=dir for another)"
	@echo "make compare A=dir B=dir   ratio of medians between two results folders, and is it noise?"
	@echo "make serve        start the LOCAL, DELAY and ERROR flag servers (make serve-stop)"
	@echo "make fuzz         fuzz the flag server's request parser (FUZZ_SECONDS=600; not in make test)"
	@echo "make labs         build the classroom labs (make -C labs check: check them)"
	@echo "make demos        the coroutine demonstrations, into bin/demos/ (demos/run-all.sh runs them)"
	@echo "bin/costs         what one unit of each model costs (bin/costs-py: in Python)"
	@echo "make SAN=address  build under ASan+UBSan into build/asan/bin (SAN=thread: TSan)"
	@echo "make clean        remove bin/ and build/"

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
