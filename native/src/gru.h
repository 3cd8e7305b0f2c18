/*
 * GRU as tfjs 4.22's GRUCell computes it (Keras' resetAfter = false, one bias of 3H): gates
 * z, r, h along the 3H axis,
 *   z = sigmoid(xz + h U_z),  r = sigmoid(xr + h U_r),  hh = tanh(xh + (r * h) U_h),
 *   h_t = z * h_{t-1} + (1 - z) * hh.
 * The reset gate multiplies h before U_h, so each step needs two dependent products.
 * Padded steps carry h over, as in lstm.h.
 */

static void gru_forward(const rnn_problem *p, int b0, int b1, float *scratch) {
  const int H = p->H, G = p->G, R = b1 - b0;
  float *zeros = scratch, *rh = scratch + (size_t)R * H;
  memset(zeros, 0, 2 * (size_t)R * H * sizeof(float));
  input_projection(p, b0, b1);
  for (int t = 0; t < p->T; t++) {
    float *g = step_rows(p->gates, p, t, b0, G);
    const float *hprev = t ? step_rows(p->hs, p, t - 1, b0, H) : zeros;
    float *h = step_rows(p->hs, p, t, b0, H);
    if (t) gemm(R, 2 * H, H, hprev, H, 1, p->U, G, g, G);
    for (int r = 0; r < R; r++) {
      float *gr = g + (size_t)r * G;
      const float *hp = hprev + (size_t)r * H;
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec z = vsigmoid(vload_n(gr + k, n));
        vec rr = vsigmoid(vload_n(gr + H + k, n));
        vstore_n(gr + k, z, n);
        vstore_n(gr + H + k, rr, n);
        vstore_n(rh + (size_t)r * H + k, rr * vload_n(hp + k, n), n);
      }
    }
    if (t) gemm(R, H, H, rh, H, 1, p->U + 2 * H, G, g + 2 * H, G);
    for (int r = 0; r < R; r++) {
      float *gr = g + (size_t)r * G;
      const float *hp = hprev + (size_t)r * H;
      float *hr = h + (size_t)r * H;
      const int real = is_real(p, b0 + r, t);
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec hh = vtanh(vload_n(gr + 2 * H + k, n));
        vec z = vload_n(gr + k, n), hpv = vload_n(hp + k, n);
        vstore_n(gr + 2 * H + k, hh, n);
        vstore_n(hr + k, real ? z * hpv + (1.0f - z) * hh : hpv, n);
      }
    }
  }
  write_outputs(p, b0, b1);
}

static void gru_backward(const rnn_problem *p, int b0, int b1, rnn_partials *out) {
  const int H = p->H, G = p->G, R = b1 - b0;
  const size_t rows = (size_t)R * H;
  float *dh = out->scratch, *dhp = dh + rows, *drh = dhp + rows, *rh = drh + rows, *zeros = rh + rows;
  memset(dh, 0, 5 * rows * sizeof(float));
  for (int t = p->T - 1; t >= 0; t--) {
    float *g = step_rows(p->gates, p, t, b0, G);
    const float *hprev = t ? step_rows(p->hs, p, t - 1, b0, H) : zeros;
    add_output_grad(p, t, b0, b1, dh);
    for (int r = 0; r < R; r++) {
      float *gr = g + (size_t)r * G;
      const float *hp = hprev + (size_t)r * H;
      float *dhr = dh + (size_t)r * H, *dhpr = dhp + (size_t)r * H, *rhr = rh + (size_t)r * H;
      if (!is_real(p, b0 + r, t)) {
        memcpy(dhpr, dhr, (size_t)H * sizeof(float));
        memset(gr, 0, (size_t)G * sizeof(float));
        memset(rhr, 0, (size_t)H * sizeof(float));
        continue;
      }
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec z = vload_n(gr + k, n), rr = vload_n(gr + H + k, n), hh = vload_n(gr + 2 * H + k, n);
        vec d = vload_n(dhr + k, n), hpv = vload_n(hp + k, n);
        vstore_n(gr + k, d * (hpv - hh) * z * (1.0f - z), n);
        vstore_n(gr + 2 * H + k, d * (1.0f - z) * (1.0f - hh * hh), n);
        vstore_n(dhpr + k, d * z, n);
        vstore_n(rhr + k, rr * hpv, n);
      }
    }
    /* d(r*h) = dz_h U_h^T; U^T's rows 2H..3H are U_h^T. */
    memset(drh, 0, rows * sizeof(float));
    gemm(R, H, H, g + 2 * H, G, 1, p->UT + (size_t)2 * H * H, H, drh, H);
    for (int r = 0; r < R; r++) {
      if (!is_real(p, b0 + r, t)) continue;
      float *gr = g + (size_t)r * G;
      const float *hp = hprev + (size_t)r * H;
      for (int k = 0; k < H; k += VW) {
        const int n = H - k < VW ? H - k : VW;
        vec rr = vload_n(gr + H + k, n), d = vload_n(drh + (size_t)r * H + k, n);
        vstore_n(gr + H + k, d * vload_n(hp + k, n) * rr * (1.0f - rr), n);
        vstore_n(dhp + (size_t)r * H + k, vload_n(dhp + (size_t)r * H + k, n) + d * rr, n);
      }
    }
    /* Padded rows have dz = 0 here, so they keep their pass-through dh. */
    gemm(R, H, 2 * H, g, G, 1, p->UT, H, dhp, H);
    if (t) {
      gemm(H, 2 * H, R, hprev, 1, H, g, G, out->dU, G);
      gemm(H, H, R, rh, 1, H, g + 2 * H, G, out->dU + 2 * H, G);
    }
    float *swap = dh;
    dh = dhp;
    dhp = swap;
  }
  input_gradients(p, b0, b1, out);
}
