/*
 * A small persistent thread pool: the calling thread runs part 0, workers run the rest. Recurrent
 * calls are milliseconds long and rows are independent, so one start/finish handshake per call
 * (condition variables, ~10 us) is all the synchronisation there is; no per-step barriers.
 *
 * Calls are serialised by a mutex, so two JS threads (worker_threads) sharing the addon cannot
 * interleave jobs. Denormals are flushed to zero inside jobs: vanishing gradients over long
 * sequences otherwise turn denormal and slow every product by an order of magnitude.
 */
#include "pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

#define MAX_THREADS 64

static pthread_mutex_t call_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static pthread_t workers[MAX_THREADS];
static int worker_count;
static unsigned long generation;
static int pending;
static int quitting;
static void (*job_fn)(void *, int);
static void *job_ctx;
static int job_parts;
/* The generation workers start from: set before they are created, while no job can run. */
static unsigned long spawn_generation;

static void run_part(void (*fn)(void *, int), void *ctx, int part) {
#if defined(__x86_64__) || defined(_M_X64)
  unsigned int saved = _mm_getcsr();
  _mm_setcsr(saved | 0x8040); /* FTZ | DAZ */
  fn(ctx, part);
  _mm_setcsr(saved);
#else
  fn(ctx, part);
#endif
}

static void *worker_main(void *arg) {
  const int index = (int)(intptr_t)arg;
  unsigned long seen = spawn_generation;
  pthread_mutex_lock(&mu);
  for (;;) {
    while (generation == seen && !quitting) pthread_cond_wait(&start_cv, &mu);
    if (quitting) break;
    seen = generation;
    void (*fn)(void *, int) = job_fn;
    void *ctx = job_ctx;
    const int parts = job_parts;
    pthread_mutex_unlock(&mu);
    if (index + 1 < parts) run_part(fn, ctx, index + 1);
    pthread_mutex_lock(&mu);
    if (--pending == 0) pthread_cond_signal(&done_cv);
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

static void stop_workers(void) {
  pthread_mutex_lock(&mu);
  quitting = 1;
  pthread_cond_broadcast(&start_cv);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < worker_count; i++) pthread_join(workers[i], NULL);
  worker_count = 0;
  quitting = 0;
}

int pool_threads(void) { return worker_count + 1; }

int pool_set_threads(int threads) {
  if (threads < 1) threads = 1;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  pthread_mutex_lock(&call_mu);
  if (threads != worker_count + 1) {
    stop_workers();
    spawn_generation = generation;
    for (int i = 0; i < threads - 1; i++) {
      if (pthread_create(&workers[i], NULL, worker_main, (void *)(intptr_t)i) != 0) break;
      worker_count++;
    }
  }
  const int now = worker_count + 1;
  pthread_mutex_unlock(&call_mu);
  return now;
}

void pool_run(void (*fn)(void *, int), void *ctx, int parts) {
  pthread_mutex_lock(&call_mu);
  if (parts > worker_count + 1) parts = worker_count + 1;
  if (parts <= 1) {
    run_part(fn, ctx, 0);
    pthread_mutex_unlock(&call_mu);
    return;
  }
  pthread_mutex_lock(&mu);
  job_fn = fn;
  job_ctx = ctx;
  job_parts = parts;
  pending = worker_count;
  generation++;
  pthread_cond_broadcast(&start_cv);
  pthread_mutex_unlock(&mu);
  run_part(fn, ctx, 0);
  pthread_mutex_lock(&mu);
  while (pending > 0) pthread_cond_wait(&done_cv, &mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&call_mu);
}
