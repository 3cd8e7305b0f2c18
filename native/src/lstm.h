/*
 * LSTM, Keras/tfjs semantics: gates i, f, c, o in that order along the 4H axis,
 *   c_t = f * c_{t-1} + i * tanh(z_c),  h_t = o * tanh(c_t),  i/f/o = sigmoid(z).
 * At a padded step (mask 0) tfjs' rnn() keeps h and c from the previous step and also outputs
 * that previous h; the backward pass mirrors this by passing dh and dc straight through.
 */

static void lstm_forward(const rnn_problem *p, int b0, int b1, float *scratch) {
  const int H = p->H, G = p->G, R = b1 - b0;
  float *zeros = scratch;
  memset(zeros, 0, (size_t)R * H * sizeof(float));
  input_projection(p, b0, b1);
  for (int t = 0; t < p->T; t++) {
    float *g = step_rows(p->gates, p, t, b0, G);
    const float *hprev = t ? step_rows(p->hs, p, t - 1, b0, H) : zeros;
    const float *cprev = t ? step_rows(p->cells, p, t - 1, b0, H) : zeros;
    float *h = step_rows(p->hs, p, t, b0, H);
    float *c = step_rows(p->cells, p, t, b0, H);
    if (t) gemm(R, G, H, hprev, H, 1, p->U, G, g, G);
    for (int r = 0; r < R; r++) {
      float *gr = g + (size_t)r * G;
      const float *hp = hprev + (size_t)r * H, *cp = cprev + (size_t)r * H;
      float *hr = h + (size_t)r * H, *cr = c + (size_t)r * H;
      if (!is_real(p, b0 + r, t)) {
        memcpy(hr, hp, (size_t)H * sizeof(float));
        memcpy(cr, cp, (size_t)H * sizeof(float));
        continue;
      }
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec i = vsigmoid(vload_n(gr + k, n));
        vec f = vsigmoid(vload_n(gr + H + k, n));
        vec cc = vtanh(vload_n(gr + 2 * H + k, n));
        vec o = vsigmoid(vload_n(gr + 3 * H + k, n));
        vec cn = f * vload_n(cp + k, n) + i * cc;
        vstore_n(gr + k, i, n);
        vstore_n(gr + H + k, f, n);
        vstore_n(gr + 2 * H + k, cc, n);
        vstore_n(gr + 3 * H + k, o, n);
        vstore_n(cr + k, cn, n);
        vstore_n(hr + k, o * vtanh(cn), n);
      }
    }
  }
  write_outputs(p, b0, b1);
}

static void lstm_backward(const rnn_problem *p, int b0, int b1, rnn_partials *out) {
  const int H = p->H, G = p->G, R = b1 - b0;
  const size_t rh = (size_t)R * H;
  float *dh = out->scratch, *dhp = dh + rh, *dc = dhp + rh, *zeros = dc + rh;
  memset(dh, 0, 4 * rh * sizeof(float));
  for (int t = p->T - 1; t >= 0; t--) {
    float *g = step_rows(p->gates, p, t, b0, G);
    const float *c = step_rows(p->cells, p, t, b0, H);
    const float *cprev = t ? step_rows(p->cells, p, t - 1, b0, H) : zeros;
    add_output_grad(p, t, b0, b1, dh);
    for (int r = 0; r < R; r++) {
      float *gr = g + (size_t)r * G;
      float *dhr = dh + (size_t)r * H, *dcr = dc + (size_t)r * H;
      if (!is_real(p, b0 + r, t)) {
        /* dz = 0 for this row; dc carries over unchanged, dh is copied after the product. */
        memset(gr, 0, (size_t)G * sizeof(float));
        continue;
      }
      const float *cr = c + (size_t)r * H, *cp = cprev + (size_t)r * H;
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec i = vload_n(gr + k, n), f = vload_n(gr + H + k, n);
        vec cc = vload_n(gr + 2 * H + k, n), o = vload_n(gr + 3 * H + k, n);
        vec tc = vtanh(vload_n(cr + k, n));
        vec d = vload_n(dhr + k, n);
        vec dcn = vload_n(dcr + k, n) + d * o * (1.0f - tc * tc);
        vstore_n(gr + k, dcn * cc * i * (1.0f - i), n);
        vstore_n(gr + H + k, dcn * vload_n(cp + k, n) * f * (1.0f - f), n);
        vstore_n(gr + 2 * H + k, dcn * i * (1.0f - cc * cc), n);
        vstore_n(gr + 3 * H + k, d * tc * o * (1.0f - o), n);
        vstore_n(dcr + k, dcn * f, n);
      }
    }
    memset(dhp, 0, rh * sizeof(float));
    gemm(R, H, G, g, G, 1, p->UT, H, dhp, H);
    for (int r = 0; r < R; r++)
      if (!is_real(p, b0 + r, t)) memcpy(dhp + (size_t)r * H, dh + (size_t)r * H, (size_t)H * sizeof(float));
    if (t) gemm(H, G, R, step_rows(p->hs, p, t - 1, b0, H), 1, H, g, G, out->dU, G);
    float *swap = dh;
    dh = dhp;
    dhp = swap;
  }
  input_gradients(p, b0, b1, out);
}
