/*
 * The parts of a layer that are the same for LSTM and GRU: the input projection for every time
 * step at once, the outputs, and the gradients that depend only on the gate gradients (dx, dW,
 * db), done as whole-sequence products after the recurrent loop.
 *
 * Time order: step t of the loop reads input time t, or T-1-t when going backwards (tfjs reverses
 * inputs and mask, and leaves the outputs in processing order). A sample's inputs in processing
 * order are therefore x[b] read with row stride +D or -D from its first or last row.
 */

INLINE int step_time(const rnn_problem *p, int t) { return p->go_backwards ? p->T - 1 - t : t; }

INLINE int is_real(const rnn_problem *p, int b, int t) {
  return p->mask == NULL || p->mask[(size_t)b * p->T + step_time(p, t)] != 0;
}

/* x[b] in processing order: first row and row stride. */
INLINE const float *input_rows(const rnn_problem *p, int b, ptrdiff_t *stride) {
  const float *first = p->x + (size_t)b * p->T * p->D;
  if (!p->go_backwards) {
    *stride = p->D;
    return first;
  }
  *stride = -(ptrdiff_t)p->D;
  return first + (size_t)(p->T - 1) * p->D;
}

INLINE float *step_rows(float *base, const rnn_problem *p, int t, int b0, int width) {
  return base + ((size_t)t * p->B + b0) * width;
}

/* gates[t, b, :] = bias + x_t[b] W for every step: one product per sample, K = D. */
static void input_projection(const rnn_problem *p, int b0, int b1) {
  const int G = p->G;
  for (int t = 0; t < p->T; t++)
    for (int b = b0; b < b1; b++) memcpy(step_rows(p->gates, p, t, b, G), p->bias, (size_t)G * sizeof(float));
  for (int b = b0; b < b1; b++) {
    ptrdiff_t stride;
    const float *x = input_rows(p, b, &stride);
    gemm(p->T, G, p->D, x, stride, 1, p->W, G, p->gates + (size_t)b * G, (ptrdiff_t)p->B * G);
  }
}

/* Where step t of sample b sits in y and dy (see rnn_problem.out_stride). */
INLINE size_t output_at(const rnn_problem *p, int b, int t) {
  if (!p->return_sequences) return (size_t)b * p->out_stride + p->out_offset;
  const int at = p->out_reverse ? p->T - 1 - t : t;
  return ((size_t)b * p->T + at) * p->out_stride + p->out_offset;
}

static void write_outputs(const rnn_problem *p, int b0, int b1) {
  const int H = p->H, T = p->T;
  for (int b = b0; b < b1; b++) {
    if (p->return_sequences) {
      for (int t = 0; t < T; t++) memcpy(p->y + output_at(p, b, t), step_rows(p->hs, p, t, b, H), (size_t)H * sizeof(float));
    } else {
      memcpy(p->y + output_at(p, b, T - 1), step_rows(p->hs, p, T - 1, b, H), (size_t)H * sizeof(float));
    }
  }
}

/* dh at step t before the recurrent contribution: the output gradient of that step, if any. */
static void add_output_grad(const rnn_problem *p, int t, int b0, int b1, float *dh) {
  const int H = p->H;
  if (!p->return_sequences && t != p->T - 1) return;
  for (int b = b0; b < b1; b++) {
    const float *g = p->dy + output_at(p, b, t);
    float *d = dh + (size_t)(b - b0) * H;
    for (int k = 0; k < H; k++) d[k] += g[k];
  }
}

/* With p->gates holding dL/d(pre-activation) for every step: db, dW = X^T dZ, dx = dZ W^T. */
static void input_gradients(const rnn_problem *p, int b0, int b1, rnn_partials *out) {
  const int G = p->G, D = p->D, T = p->T;
  const ptrdiff_t ldz = (ptrdiff_t)p->B * G;
  for (int t = 0; t < T; t++)
    for (int b = b0; b < b1; b++) {
      const float *z = step_rows(p->gates, p, t, b, G);
      int k = 0;
      for (; k + VW <= G; k += VW) vstore(out->db + k, vload(out->db + k) + vload(z + k));
      for (; k < G; k++) out->db[k] += z[k];
    }
  for (int b = b0; b < b1; b++) {
    ptrdiff_t stride;
    const float *x = input_rows(p, b, &stride);
    const float *z = p->gates + (size_t)b * G;
    /* x[b] read transposed: element (d, t) at x + t*stride + d. */
    gemm(D, G, T, x, 1, stride, z, ldz, out->dW, G);
    float *dx = p->dx + (size_t)b * T * D;
    if (!p->accumulate_dx) memset(dx, 0, (size_t)T * D * sizeof(float));
    float *dx_first = p->go_backwards ? dx + (size_t)(T - 1) * D : dx;
    gemm(T, D, G, z, ldz, 1, p->WT, D, dx_first, p->go_backwards ? -(ptrdiff_t)D : D);
  }
}
