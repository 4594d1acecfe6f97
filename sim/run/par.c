/* par: MPI across processes, or the single-process stand-ins (par.h). */
#include "par.h"

/* Written once for both builds: with one rank it is the plain block loop. */
int par_blocks(const par_blocks_def *d, fz_error *err)
{
    const size_t nranks = (size_t)par_size(), me = (size_t)par_rank();
    const size_t B = d->block, nblocks = (d->nreps + B - 1) / B;
    for (size_t round = 0; round < nblocks; round += nranks) {
        size_t mine = round + me, first = mine * B;
        size_t n = mine >= nblocks ? 0 : d->nreps - first < B ? d->nreps - first : B;
        int rc = par_agree(d->compute(d->ctx, first, n, err), err);
        if (rc)
            return rc;
        for (size_t b = round; b < round + nranks && b < nblocks; b++) {
            first = b * B;
            n = d->nreps - first < B ? d->nreps - first : B;
            if ((rc = par_agree(d->fold(d->ctx, (int)(b - round), first, n, err), err)))
                return rc;
            if (d->progress)
                d->progress(d->progress_ctx, first + n, d->nreps);
        }
    }
    return 0;
}

#include <stdio.h>
#include <string.h>

#ifdef FIANZA_MPI
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>

static int g_rank = 0, g_size = 1;

/* Started by mpirun, srun or mpiexec?  Run on its own, fianza does not start
 * MPI at all: a singleton MPI_Init would spawn a daemon (Open MPI's needs ssh
 * or rsh on PATH) for nothing. */
static int launched(void)
{
    static const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int par_init(int *argc, char ***argv)
{
    if (!launched())
        return 0;
    int provided; /* only the main thread calls MPI; OpenMP threads never do */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return FZ_ERUNTIME;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    if (g_rank != 0) { /* rank 0 alone prints: it reports errors met on any rank */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return FZ_ERUNTIME;
    }
    return 0;
}

void par_finalize(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    if (init && !fin)
        MPI_Finalize();
}

int par_rank(void) { return g_rank; }
int par_size(void) { return g_size; }

int par_agree(int rc, fz_error *err)
{
    if (g_size == 1)
        return rc;
    int mine = rc ? g_rank : g_size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == g_size)
        return 0;
    fz_error e = {rc, ""};
    if (g_rank == first && err)
        e = *err;
    e.code = rc;
    MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD);
    if (err)
        *err = e;
    return e.code;
}

void par_bcast(void *buf, size_t bytes, int root)
{
    if (g_size == 1)
        return;
    for (size_t off = 0; off < bytes;) { /* MPI counts are int */
        size_t n = bytes - off < (size_t)INT_MAX ? bytes - off : (size_t)INT_MAX;
        MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
        off += n;
    }
}

void par_sum_u64(uint64_t *buf, size_t n)
{
    if (g_size == 1)
        return;
    for (size_t off = 0; off < n;) {
        size_t m = n - off < (size_t)INT_MAX ? n - off : (size_t)INT_MAX;
        MPI_Allreduce(MPI_IN_PLACE, buf + off, (int)m, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        off += m;
    }
}

#else /* one process */

int par_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
void par_finalize(void) {}
int par_rank(void) { return 0; }
int par_size(void) { return 1; }
int par_agree(int rc, fz_error *err)
{
    (void)err;
    return rc;
}
void par_bcast(void *buf, size_t bytes, int root)
{
    (void)buf;
    (void)bytes;
    (void)root;
}
void par_sum_u64(uint64_t *buf, size_t n)
{
    (void)buf;
    (void)n;
}

#endif
