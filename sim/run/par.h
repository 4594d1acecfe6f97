/* par: optional MPI parallelism across processes (build with -DFIANZA_MPI=ON).
 *
 * Under `mpirun -np K fianza ...` every rank runs the whole command on the
 * same inputs.  eval_run and curve_compute split their replication blocks
 * across the ranks through par_blocks, the one block driver (block b is
 * computed by rank b mod K) and broadcast each
 * block to all ranks, which fold it in replication order exactly as one
 * process would: every rank ends with bit-identical results and continues the
 * pipeline (MIP solves included) identically.  Only rank 0 writes the results
 * directory and prints: par_init points stdout and stderr of the other ranks
 * at /dev/null and outdir opens files there on them.
 *
 * Without FIANZA_MPI, when fianza was not started by an MPI launcher (mpirun,
 * mpiexec, srun: par_init then leaves MPI alone), or when par_init was not
 * called (the test suites), every function is the single-process version:
 * rank 0 of 1, collectives return at once. */
#ifndef FZ_PAR_H
#define FZ_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"

int par_init(int *argc, char ***argv); /* 0, or FZ_ERUNTIME if MPI fails */
void par_finalize(void);
int par_rank(void);
int par_size(void);

/* Collective: every rank passes its status; all return the status of the
 * lowest rank that failed (0 if none), and err (if not NULL) receives that
 * rank's message, so that rank 0 can report an error met elsewhere. */
int par_agree(int rc, fz_error *err);

/* Collective: buf[0 .. bytes) of rank root is copied to every rank. */
void par_bcast(void *buf, size_t bytes, int root);

/* Collective: buf[i] becomes the sum over ranks of buf[i] (exact, so the
 * order of the ranks does not matter). */
void par_sum_u64(uint64_t *buf, size_t n);

/* The ordered block driver of eval_run and curve_compute.  Replications
 * [0, nreps) go in blocks of `block`, the blocks in rounds of one per rank:
 * in each round rank r computes block round + r (compute; threads inside
 * are the caller's), then for every block of the round, in order, fold is
 * called on every rank with the owner's rank: fold broadcasts the owner's
 * buffers (par_bcast) and folds them in replication order.  Every status
 * passes par_agree, so all ranks stop together with the first error; after
 * each folded block, progress (if not NULL) gets the replications done.
 * compute may be called with n = 0 (a rank without a block in the last
 * round).  Results are those of one process for any rank count. */
typedef struct par_blocks_def {
    size_t nreps, block;
    int (*compute)(void *ctx, uint64_t first, size_t n, fz_error *err);
    int (*fold)(void *ctx, int owner, uint64_t first, size_t n, fz_error *err);
    void *ctx;
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} par_blocks_def;

int par_blocks(const par_blocks_def *d, fz_error *err);

#endif
