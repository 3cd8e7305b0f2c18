/*
 * The whole kernel set, compiled once per instruction set by kernels_<isa>.c, which define VW
 * (floats per vector) and KERNELS (the table's name) before including this file. Everything here
 * is static, so the copies never clash at link time.
 */
#include "rnn.h"
#include "simd.h"
#include "gemm.h"
#include "sequence.h"
#include "lstm.h"
#include "gru.h"

static void forward(const rnn_problem *p, int b0, int b1, float *scratch) {
  if (p->cell == CELL_GRU) gru_forward(p, b0, b1, scratch);
  else lstm_forward(p, b0, b1, scratch);
}

static void backward(const rnn_problem *p, int b0, int b1, rnn_partials *out) {
  if (p->cell == CELL_GRU) gru_backward(p, b0, b1, out);
  else lstm_backward(p, b0, b1, out);
}

const rnn_kernels KERNELS = {KERNELS_NAME, forward, backward};
