/*
 * Vector type and activation math, written once with GCC/Clang vector extensions and compiled
 * per ISA (kernels_*.c set VW, the floats per vector). The same source becomes zmm code with
 * -mavx512f, ymm + FMA with -mavx2 -mfma, and SSE2/NEON otherwise, so the three paths cannot
 * drift apart numerically beyond FMA contraction.
 *
 * exp is Cephes' expf (relative error ~1e-7); tanh uses Cephes' odd polynomial near zero,
 * where 1 - 2/(e^2x + 1) would lose all relative precision to cancellation.
 */
#ifndef VW
#error "VW (floats per vector) must be defined by the including unit"
#endif

#include <string.h>

typedef float vec __attribute__((vector_size(VW * 4)));
typedef int32_t ivec __attribute__((vector_size(VW * 4)));
/* Unaligned, aliasing view: tfjs hands us arbitrary Float32Array offsets. */
typedef float vecu __attribute__((vector_size(VW * 4), aligned(4), may_alias));

#define INLINE static inline __attribute__((always_inline))

INLINE vec vload(const float *p) { return *(const vecu *)p; }
INLINE void vstore(float *p, vec v) { *(vecu *)p = v; }
/* A literal splat: `(vec){0} + s` would cost a real add per broadcast (0 + s is not foldable for s = -0). */
#if VW == 16
#define SPLAT(s) {s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s}
#elif VW == 8
#define SPLAT(s) {s, s, s, s, s, s, s, s}
#elif VW == 4
#define SPLAT(s) {s, s, s, s}
#endif
INLINE vec vset(float s) { return (vec)SPLAT(s); }

/* A row of H floats is walked in vectors; the last one may be partial (H % VW). */
INLINE vec vload_n(const float *p, int n) {
  if (n == VW) return vload(p);
  float tmp[VW] = {0};
  memcpy(tmp, p, (size_t)n * sizeof(float));
  return vload(tmp);
}
INLINE void vstore_n(float *p, vec v, int n) {
  if (n == VW) {
    vstore(p, v);
    return;
  }
  float tmp[VW];
  vstore(tmp, v);
  memcpy(p, tmp, (size_t)n * sizeof(float));
}

/* Vector ?: exists only in C++; in C a comparison yields an all-ones/zeros int mask. */
INLINE vec vselect(ivec m, vec a, vec b) { return (vec)(((ivec)a & m) | ((ivec)b & ~m)); }
INLINE vec vmin(vec a, vec b) { return vselect(a < b, a, b); }
INLINE vec vmax(vec a, vec b) { return vselect(a > b, a, b); }
INLINE vec vabs(vec a) { return (vec)((ivec)a & 0x7fffffff); }

INLINE vec vexp(vec x) {
  x = vmin(vmax(x, vset(-87.3f)), vset(88.3f));
  vec fx = x * 1.44269504088896341f + 0.5f;
  ivec n = __builtin_convertvector(fx, ivec);
  /* convert truncates toward zero; step down where that rounded a negative value up (floor). */
  n += __builtin_convertvector(n, vec) > fx;
  vec nf = __builtin_convertvector(n, vec);
  x = x - nf * 0.693359375f;
  x = x - nf * -2.12194440e-4f;
  vec z = x * x;
  vec y = 1.9875691500e-4f * x + 1.3981999507e-3f;
  y = y * x + 8.3334519073e-3f;
  y = y * x + 4.1665795894e-2f;
  y = y * x + 1.6666665459e-1f;
  y = y * x + 5.0000001201e-1f;
  y = y * z + x + 1.0f;
  return y * (vec)((n + 127) << 23);
}

INLINE vec vsigmoid(vec x) { return 1.0f / (1.0f + vexp(-x)); }

INLINE vec vtanh(vec x) {
  vec a = vabs(x);
  vec large = 1.0f - 2.0f / (vexp(a + a) + 1.0f);
  large = (vec)((ivec)large | ((ivec)x & (int32_t)0x80000000u)); /* copy the sign back */
  vec z = x * x;
  vec p = -5.70498872745e-3f * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  vec small = x + x * z * p;
  return vselect(a < vset(0.625f), small, large);
}
