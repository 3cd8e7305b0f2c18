/*
 * Shared by the binding (addon.c) and the per-ISA kernel units (kernels_*.c). One problem struct
 * describes a whole-sequence LSTM/GRU layer in Keras/tfjs layout; each thread runs the kernels on
 * its own slice of batch rows [b0, b1). Rows never interact, so forward needs no synchronisation
 * between threads and backward only sums the weight gradients at the end.
 */
#ifndef SENTIMENT_FUSED_RNN_H
#define SENTIMENT_FUSED_RNN_H

#include <stddef.h>
#include <stdint.h>

enum { CELL_LSTM = 0, CELL_GRU = 1 };

typedef struct {
  int cell;
  int B, T, D, H;
  /* Gate width: 4H (LSTM i,f,c,o) or 3H (GRU z,r,h). */
  int G;
  int go_backwards;
  int return_sequences;
  /* Output layout, so both directions of a Bidirectional layer write one concatenated tensor:
   * step t of sample b goes to y[(b*T + t') * out_stride + out_offset], t' = T-1-t when
   * out_reverse (the backward direction put back in time order), else t; without
   * returnSequences, y[b * out_stride + out_offset]. dy is read the same way. */
  int out_stride, out_offset, out_reverse;
  /* Add to dx instead of overwriting it (the second direction of a Bidirectional layer). */
  int accumulate_dx;

  const float *x;       /* [B, T, D], as tfjs hands it over */
  const float *W;       /* kernel [D, G] */
  const float *U;       /* recurrentKernel [H, G] */
  const float *bias;    /* [G] */
  const uint8_t *mask;  /* [B, T] (0 = padding) or NULL */
  float *y;             /* see out_stride */

  /* What backward needs, time-major in processing order so a step's rows are contiguous.
   * gates holds the gate activations after forward and their pre-activation gradients after
   * backward. */
  float *gates; /* [T, B, G] */
  float *cells; /* [T, B, H], LSTM only */
  float *hs;    /* [T, B, H], state after each step (masked steps carry the previous one) */

  /* Backward only. */
  const float *dy; /* same layout as y */
  float *dx;       /* [B, T, D] */
  const float *WT; /* [G, D] */
  const float *UT; /* [G, H] */
} rnn_problem;

/* Per-thread gradient partials and scratch, owned by the binding. */
typedef struct {
  float *dW;      /* [D, G] */
  float *dU;      /* [H, G] */
  float *db;      /* [G] */
  float *scratch; /* 4 * rows * H floats */
} rnn_partials;

typedef struct {
  const char *name;
  void (*forward)(const rnn_problem *p, int b0, int b1, float *scratch);
  void (*backward)(const rnn_problem *p, int b0, int b1, rnn_partials *out);
} rnn_kernels;

extern const rnn_kernels rnn_kernels_generic;
#if defined(__x86_64__) || defined(_M_X64)
extern const rnn_kernels rnn_kernels_avx2;
extern const rnn_kernels rnn_kernels_avx512;
#endif

#endif
