/* mpi_launch.c - runs an MPI variant under mpirun (see mpi_launch.h). No MPI
 * calls here: this file is built with the rest of bench/ by the plain
 * compiler, and only the MPI variants call it. */
#define _GNU_SOURCE
#include "mpi_launch.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define LAUNCHED_MARKER "BENCH_MPI_RANK"   /* set for the ranks: never launch twice */

const char *mpi_hostfile;
static volatile sig_atomic_t mpirun_pid;
static volatile sig_atomic_t passed_on_signal;   /* the signal passed on to mpirun, if any */

bool mpi_is_rank(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv(LAUNCHED_MARKER) != NULL;
}

static void pass_on(int signal_number)
{
    passed_on_signal = signal_number;
    if (mpirun_pid > 0)
        kill((pid_t)mpirun_pid, signal_number);
}

static void set_default(const char *name, const char *value)
{
    if (setenv(name, value, 0) != 0)
        bench_fail("setenv");
}

void mpi_launch(const bench_run *run, int argc, char **argv)
{
    if (mpi_is_rank())
        return;
    if (mpi_hostfile == NULL)
        mpi_hostfile = getenv("MPI_HOSTFILE");
    if (mpi_hostfile != NULL && access(mpi_hostfile, R_OK) != 0)
        bench_usage_error("--hostfile %s: %s", mpi_hostfile, strerror(errno));

    /* The ranks run this very file, by its absolute path (the same on every host). */
    static char self[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length < 0)
        bench_fail("readlink /proc/self/exe");
    self[length] = '\0';

    char ranks[32];
    snprintf(ranks, sizeof ranks, "%ld", run->workers);
    char **command = bench_alloc((size_t)argc + 12, sizeof *command);
    int used = 0;
    command[used++] = "mpirun";
    command[used++] = "--oversubscribe";
    command[used++] = "--bind-to";
    command[used++] = "none";
    command[used++] = "-np";
    command[used++] = ranks;
    if (mpi_hostfile != NULL) {
        command[used++] = "--hostfile";
        command[used++] = (char *)mpi_hostfile;
    }
    command[used++] = self;
    for (int index = 1; index < argc; index++)
        command[used++] = argv[index];
    command[used] = NULL;

    set_default("OMPI_ALLOW_RUN_AS_ROOT", "1");
    set_default("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    set_default("OMPI_MCA_pml", "ob1");
    if (mpi_hostfile == NULL) {   /* one host: its daemon needs no network, only loopback */
        set_default("OMPI_MCA_oob_tcp_if_include", "lo");
        set_default("OMPI_MCA_btl_tcp_if_include", "lo");
    }
    if (setenv(LAUNCHED_MARKER, "1", 1) != 0)
        bench_fail("setenv");

    struct sigaction action = {.sa_handler = pass_on};
    sigemptyset(&action.sa_mask);
    int passed_on[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t index = 0; index < sizeof passed_on / sizeof passed_on[0]; index++)
        if (sigaction(passed_on[index], &action, NULL) != 0)
            bench_fail("sigaction");

    fflush(NULL);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0)
        bench_fail("fork (for mpirun)");
    if (child == 0) {
        /* SIGTERM, not SIGKILL: mpirun then stops its ranks before it goes. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(BENCH_EXIT_WRONG);
        execvp(command[0], command);
        fprintf(stderr, "%s-%s: execvp mpirun: %s (install Open MPI: scripts/deps.sh)\n",
                run->spec->workload, run->spec->model, strerror(errno));
        _exit(BENCH_EXIT_WRONG);
    }
    mpirun_pid = child;
    bench_log(run, "started mpirun (pid %d) with %ld ranks%s%s", (int)child, run->workers,
              mpi_hostfile ? " on the hosts in " : "", mpi_hostfile ? mpi_hostfile : "");

    int status;
    while (waitpid(child, &status, 0) == -1)
        if (errno != EINTR)
            bench_fail("waitpid (mpirun)");
    free(command);
    if (passed_on_signal) {   /* interrupted: end as the other variants do, by that signal */
        signal(passed_on_signal, SIG_DFL);
        raise(passed_on_signal);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) <= BENCH_EXIT_IO_FAILED)
        exit(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        fprintf(stderr, "%s-%s: mpirun was killed by signal %d (%s)\n", run->spec->workload,
                run->spec->model, WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        fprintf(stderr, "%s-%s: mpirun exited with status %d: a rank failed (see above)\n",
                run->spec->workload, run->spec->model, WEXITSTATUS(status));
    exit(BENCH_EXIT_WRONG);
}

void mpi_report_hosts(const bench_run *run, int ranks, int hosts)
{
    if (run->json)
        bench_log(run, "%d ranks on %d hosts", ranks, hosts);
    else if (printf("  %d ranks on %d host%s\n", ranks, hosts, hosts == 1 ? "" : "s") < 0 ||
             fflush(stdout) != 0)
        bench_fail("writing to stdout");
}
