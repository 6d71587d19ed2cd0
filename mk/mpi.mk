# mk/mpi.mk - the MPI variants (issue 16): every workloads/<w>/mpi*.c becomes
# $(BIN)/<w>-<model>, compiled and linked with mpicc (Open MPI's wrapper
# around $(CC)), with the workload's kernel and bench/ (bench/mpi_launch.c,
# which has no MPI calls, is part of bench/ and built with the rest). The
# generic rule in the Makefile leaves mpi*.c to this file. Models whose name
# holds "openmp" also get -fopenmp. Without mpicc (Open MPI not installed)
# they are left out, with a note.

MPICC       ?= mpicc
MPI_SOURCES := $(wildcard workloads/*/mpi*.c)
HAVE_MPICC  := $(shell command -v $(MPICC) 2>/dev/null)

ifneq ($(HAVE_MPICC),)
define mpi_variant_rules
$(OBJ)/workloads/$(1)/$(2).o: workloads/$(1)/$(2).c mk/mpi.mk
	@mkdir -p $$(@D)
	OMPI_CC=$$(CC) $$(MPICC) $$(CPPFLAGS) $$(CFLAGS) $$(if $$(findstring openmp,$(2)),-fopenmp) -c -o $$@ $$<
$(BIN)/$(1)-$(2): $(OBJ)/workloads/$(1)/$(2).o $(patsubst %.c,$(OBJ)/%.o,$(wildcard workloads/$(1)/kernel*.c)) $(BENCH_OBJ)
	@mkdir -p $$(@D)
	OMPI_CC=$$(CC) $$(MPICC) $$(LDFLAGS) $$(if $$(findstring openmp,$(2)),-fopenmp) -o $$@ $$^ $$($(1)_LDLIBS) $$(LDLIBS)
MPI_PROGRAMS += $(BIN)/$(1)-$(2)
endef
$(foreach source,$(MPI_SOURCES),$(eval $(call mpi_variant_rules,$(word 2,$(subst /, ,$(source))),$(basename $(notdir $(source))))))
else
$(info mk/mpi.mk: $(MPICC) not found, the MPI variants are not built (scripts/deps.sh installs Open MPI))
endif

EXTRA_PROGRAMS += $(MPI_PROGRAMS)

.PHONY: mpi-variants
mpi-variants: $(MPI_PROGRAMS)

# bin/tools/mpi-pingpong: message latency and bandwidth, and one MPI_Reduce
# (run by scripts/mpi-pingpong.sh in `make bench`).
ifneq ($(HAVE_MPICC),)
$(BIN)/tools/mpi-pingpong: bench/tools/mpi-pingpong.c bench/mpi_launch.h mk/mpi.mk
	@mkdir -p $(@D)
	OMPI_CC=$(CC) $(MPICC) -Ibench $(CFLAGS) $(LDFLAGS) -o $@ $<
EXTRA_PROGRAMS += $(BIN)/tools/mpi-pingpong
endif
