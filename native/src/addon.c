/*
 * Node-API binding of the fused recurrent kernels. Plain node_api.h (ABI-stable), so the same
 * .node file loads in Node and in Electron without an electron-rebuild.
 *
 * JS owns every buffer (Float32Array / Uint8Array): V8's memory cage in Electron forbids external
 * ArrayBuffers, and letting JS allocate the cache keeps its lifetime with the gradient closure.
 * Every length is checked against the dimensions here, so a wrong call throws instead of
 * writing past an array.
 *
 *   capabilities() -> { isa, isas, threads }
 *   configure(threads, isa?) -> capabilities()
 *   forward(cell, dims, x, W, U, bias, mask|null, y, gates, cells|null, hs)
 *   backward(cell, dims, x, W, U, mask|null, gates, cells|null, hs, dy, dx, dW, dU, db)
 * dims = Int32Array [B, T, D, H, goBackwards, returnSequences, outStride, outOffset, outReverse,
 * accumulateDx] (see rnn.h); cell 0 = LSTM, 1 = GRU.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "rnn.h"

static const rnn_kernels *kernels_by_isa[3];
static int isa_count;
static const rnn_kernels *active;

static void detect_isas(void) {
  if (isa_count) return;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  /* libgcc's check includes the OS (XCR0) enabling the zmm/ymm state, not only CPUID. */
  if (__builtin_cpu_supports("avx512f")) kernels_by_isa[isa_count++] = &rnn_kernels_avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) kernels_by_isa[isa_count++] = &rnn_kernels_avx2;
#endif
  kernels_by_isa[isa_count++] = &rnn_kernels_generic;
  active = kernels_by_isa[0];
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "ERR_FUSED_RNN", message);
  return NULL;
}

/* Reads a typed array of exactly `length` elements; NULL/undefined allowed when nullable. */
static int typed_array(napi_env env, napi_value value, napi_typedarray_type want, size_t length, int nullable,
                       const char *name, void **out) {
  char message[160];
  napi_valuetype kind;
  napi_typeof(env, value, &kind);
  if (nullable && (kind == napi_null || kind == napi_undefined)) {
    *out = NULL;
    return 1;
  }
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  napi_typedarray_type type;
  size_t actual = 0;
  napi_value buffer;
  size_t offset;
  if (!is_typed || napi_get_typedarray_info(env, value, &type, &actual, out, &buffer, &offset) != napi_ok ||
      type != want) {
    snprintf(message, sizeof message, "%s must be a %s", name, want == napi_uint8_array ? "Uint8Array" : "Float32Array");
    fail(env, message);
    return 0;
  }
  if (actual != length) {
    snprintf(message, sizeof message, "%s has %zu elements, expected %zu", name, actual, length);
    fail(env, message);
    return 0;
  }
  return 1;
}

static int read_problem(napi_env env, napi_value *argv, rnn_problem *p) {
  memset(p, 0, sizeof *p);
  int32_t cell;
  int32_t *dims;
  if (napi_get_value_int32(env, argv[0], &cell) != napi_ok || (cell != CELL_LSTM && cell != CELL_GRU)) {
    fail(env, "cell must be 0 (LSTM) or 1 (GRU)");
    return 0;
  }
  bool is_typed = false;
  napi_is_typedarray(env, argv[1], &is_typed);
  if (!is_typed) return fail(env, "dims must be an Int32Array"), 0;
  napi_typedarray_type type;
  size_t length;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(env, argv[1], &type, &length, (void **)&dims, &buffer, &offset);
  if (type != napi_int32_array || length != 10) return fail(env, "dims must be an Int32Array of 10 (see addon.c)"), 0;
  p->cell = cell;
  p->B = dims[0];
  p->T = dims[1];
  p->D = dims[2];
  p->H = dims[3];
  p->go_backwards = dims[4] != 0;
  p->return_sequences = dims[5] != 0;
  p->out_stride = dims[6];
  p->out_offset = dims[7];
  p->out_reverse = dims[8] != 0;
  p->accumulate_dx = dims[9] != 0;
  /* Checked before G = 4H is formed: an H near INT_MAX would overflow it. */
  if (p->H < 1 || p->H > (1 << 20)) return fail(env, "units out of range"), 0;
  p->G = (cell == CELL_LSTM ? 4 : 3) * p->H;
  if (p->B < 1 || p->T < 1 || p->D < 1 || p->H < 1 || (double)p->T * p->B * p->G > 2e9 || (double)p->B * p->T * p->D > 2e9 ||
      (double)p->B * p->T * p->out_stride > 2e9)
    return fail(env, "dims out of range"), 0;
  /* In 64 bits: an offset near INT_MAX must not wrap past the check. */
  if (p->out_offset < 0 || (int64_t)p->out_offset + p->H > (int64_t)p->out_stride) return fail(env, "outOffset + units must fit in outStride"), 0;
  return 1;
}

static size_t out_len(const rnn_problem *p) { return (size_t)p->B * (p->return_sequences ? (size_t)p->T : 1) * p->out_stride; }

/* The arrays forward and backward share, from argv[2] on (forward also has bias and y). */
static int read_common(napi_env env, napi_value *argv, int with_bias, rnn_problem *p) {
  const size_t B = p->B, T = p->T, D = p->D, H = p->H, G = p->G;
  int i = 2;
  if (!typed_array(env, argv[i++], napi_float32_array, B * T * D, 0, "x", (void **)&p->x)) return 0;
  if (!typed_array(env, argv[i++], napi_float32_array, D * G, 0, "kernel", (void **)&p->W)) return 0;
  if (!typed_array(env, argv[i++], napi_float32_array, H * G, 0, "recurrentKernel", (void **)&p->U)) return 0;
  if (with_bias && !typed_array(env, argv[i++], napi_float32_array, G, 0, "bias", (void **)&p->bias)) return 0;
  if (!typed_array(env, argv[i++], napi_uint8_array, B * T, 1, "mask", (void **)&p->mask)) return 0;
  if (with_bias && !typed_array(env, argv[i++], napi_float32_array, out_len(p), 0, "y", (void **)&p->y)) return 0;
  if (!typed_array(env, argv[i++], napi_float32_array, T * B * G, 0, "gates", (void **)&p->gates)) return 0;
  if (!typed_array(env, argv[i++], napi_float32_array, T * B * H, p->cell != CELL_LSTM, "cells", (void **)&p->cells)) return 0;
  if (p->cell == CELL_LSTM && p->cells == NULL) return fail(env, "an LSTM needs the cells buffer"), 0;
  if (!typed_array(env, argv[i++], napi_float32_array, T * B * H, 0, "hs", (void **)&p->hs)) return 0;
  return 1;
}

typedef struct {
  const rnn_kernels *kernels;
  rnn_problem *p;
  int parts;
  float *scratch;      /* parts x scratch_len */
  size_t scratch_len;
  rnn_partials *partials;
} job;

static int rows_begin(const job *j, int part) { return (int)((long long)j->p->B * part / j->parts); }

static void forward_part(void *ctx, int part) {
  job *j = ctx;
  j->kernels->forward(j->p, rows_begin(j, part), rows_begin(j, part + 1), j->scratch + j->scratch_len * part);
}

static void backward_part(void *ctx, int part) {
  job *j = ctx;
  j->kernels->backward(j->p, rows_begin(j, part), rows_begin(j, part + 1), &j->partials[part]);
}

static int plan(job *j, rnn_problem *p) {
  j->kernels = active;
  j->p = p;
  j->parts = pool_threads() < p->B ? pool_threads() : p->B;
  const int rows = (p->B + j->parts - 1) / j->parts;
  /* The kernels need at most 5 row blocks of H; one more keeps room for the zero block. */
  j->scratch_len = (size_t)6 * rows * p->H + 16;
  j->scratch = calloc(j->scratch_len * j->parts, sizeof(float));
  return j->scratch != NULL;
}

static napi_value forward(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 11) return fail(env, "forward takes 11 arguments");
  rnn_problem p;
  if (!read_problem(env, argv, &p) || !read_common(env, argv, 1, &p)) return NULL;
  job j;
  if (!plan(&j, &p)) return fail(env, "out of memory");
  pool_run(forward_part, &j, j.parts);
  free(j.scratch);
  return NULL;
}

static float *transpose(const float *m, int rows, int cols) {
  float *t = malloc((size_t)rows * cols * sizeof(float));
  if (!t) return NULL;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) t[(size_t)c * rows + r] = m[(size_t)r * cols + c];
  return t;
}

static napi_value backward(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 14) return fail(env, "backward takes 14 arguments");
  rnn_problem p;
  if (!read_problem(env, argv, &p) || !read_common(env, argv, 0, &p)) return NULL;
  const size_t B = p.B, T = p.T, D = p.D, H = p.H, G = p.G;
  float *dW, *dU, *db;
  if (!typed_array(env, argv[9], napi_float32_array, out_len(&p), 0, "dy", (void **)&p.dy) ||
      !typed_array(env, argv[10], napi_float32_array, B * T * D, 0, "dx", (void **)&p.dx) ||
      !typed_array(env, argv[11], napi_float32_array, D * G, 0, "dKernel", (void **)&dW) ||
      !typed_array(env, argv[12], napi_float32_array, H * G, 0, "dRecurrentKernel", (void **)&dU) ||
      !typed_array(env, argv[13], napi_float32_array, G, 0, "dBias", (void **)&db))
    return NULL;
  job j;
  memset(&j, 0, sizeof j);
  float *WT = transpose(p.W, (int)D, (int)G), *UT = transpose(p.U, (int)H, (int)G);
  const size_t per_part = D * G + H * G + G;
  float *sums = NULL;
  int ok = WT && UT && plan(&j, &p);
  if (ok) {
    sums = calloc(per_part * j.parts, sizeof(float));
    j.partials = calloc(j.parts, sizeof(rnn_partials));
    ok = sums && j.partials;
  }
  if (ok) {
    p.WT = WT;
    p.UT = UT;
    for (int k = 0; k < j.parts; k++) {
      float *base = sums + per_part * k;
      j.partials[k] = (rnn_partials){base, base + D * G, base + D * G + H * G, j.scratch + j.scratch_len * k};
    }
    pool_run(backward_part, &j, j.parts);
    /* Fixed partition, fixed order: the sums do not depend on thread timing. */
    memset(dW, 0, D * G * sizeof(float));
    memset(dU, 0, H * G * sizeof(float));
    memset(db, 0, G * sizeof(float));
    for (int k = 0; k < j.parts; k++) {
      const rnn_partials *q = &j.partials[k];
      for (size_t i = 0; i < D * G; i++) dW[i] += q->dW[i];
      for (size_t i = 0; i < H * G; i++) dU[i] += q->dU[i];
      for (size_t i = 0; i < G; i++) db[i] += q->db[i];
    }
  }
  free(WT);
  free(UT);
  free(sums);
  free(j.scratch);
  free(j.partials);
  if (!ok) return fail(env, "out of memory");
  return NULL;
}

static napi_value capabilities(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, value, list;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, active->name, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, result, "isa", value);
  napi_create_array_with_length(env, isa_count, &list);
  for (int i = 0; i < isa_count; i++) {
    napi_create_string_utf8(env, kernels_by_isa[i]->name, NAPI_AUTO_LENGTH, &value);
    napi_set_element(env, list, i, value);
  }
  napi_set_named_property(env, result, "isas", list);
  napi_create_int32(env, pool_threads(), &value);
  napi_set_named_property(env, result, "threads", value);
  return result;
}

static napi_value configure(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t threads = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &threads) != napi_ok || threads < 1)
    return fail(env, "configure(threads, isa?): threads must be a positive integer");
  if (argc > 1) {
    napi_valuetype kind;
    napi_typeof(env, argv[1], &kind);
    if (kind == napi_string) {
      char name[32];
      size_t len;
      napi_get_value_string_utf8(env, argv[1], name, sizeof name, &len);
      const rnn_kernels *chosen = NULL;
      for (int i = 0; i < isa_count; i++)
        if (strcmp(kernels_by_isa[i]->name, name) == 0) chosen = kernels_by_isa[i];
      if (!chosen) return fail(env, "this CPU does not support the requested instruction set");
      active = chosen;
    }
  }
  pool_set_threads(threads);
  return capabilities(env, info);
}

NAPI_MODULE_INIT() {
  detect_isas();
  napi_property_descriptor props[] = {
      {"capabilities", NULL, capabilities, NULL, NULL, NULL, napi_default_method, NULL},
      {"configure", NULL, configure, NULL, NULL, NULL, napi_default_method, NULL},
      {"forward", NULL, forward, NULL, NULL, NULL, napi_default_method, NULL},
      {"backward", NULL, backward, NULL, NULL, NULL, napi_default_method, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
