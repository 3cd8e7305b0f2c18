#ifndef SENTIMENT_FUSED_POOL_H
#define SENTIMENT_FUSED_POOL_H

/* Runs fn(ctx, part) for part = 0 .. parts-1 (capped at the thread count) and returns when all are done. */
void pool_run(void (*fn)(void *ctx, int part), void *ctx, int parts);
/* Returns the thread count actually running (the caller's thread included). */
int pool_set_threads(int threads);
int pool_threads(void);

#endif
