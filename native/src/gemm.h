/*
 * C[M,N] += A[M,K] B[K,N], all row-major with explicit strides. A is addressed as
 * A[i*rsa + k*csa], so one routine serves A (rsa = lda, csa = 1), A transposed (rsa = 1,
 * csa = lda) and A with its rows read backwards in time (negative rsa) -- the three shapes the
 * recurrent kernels need. Products with a transposed B use a pre-transposed copy instead.
 *
 * Register blocking only: the matrices here are small (K <= a few hundred, N <= 4 * units), so a
 * B panel of K x (NV * VW) floats stays in L1/L2 across row tiles and packing would cost more
 * than it saves. MR x NV vectors of accumulators fill most of the register file:
 * AVX-512 8 x 2 zmm (16 of 32), AVX2 4 x 3 ymm (12 of 16), SSE/NEON 4 x 2.
 */
#if VW == 16
#define MR 8
#define NV 2
#elif VW == 8
#define MR 4
#define NV 3
#else
#define MR 4
#define NV 2
#endif

INLINE void gemm_tile(const int mr, const int nv, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                      const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc) {
  vec acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int j = 0; j < nv; j++) acc[i][j] = vset(0.0f);
  for (int k = 0; k < K; k++) {
    const float *brow = B + k * ldb;
    const float *acol = A + k * csa;
    vec b[NV];
#pragma GCC unroll 4
    for (int j = 0; j < nv; j++) b[j] = vload(brow + j * VW);
#pragma GCC unroll 8
    for (int i = 0; i < mr; i++) {
      vec a = vset(acol[i * rsa]);
#pragma GCC unroll 4
      for (int j = 0; j < nv; j++) acc[i][j] += a * b[j];
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int j = 0; j < nv; j++) {
      float *c = C + i * ldc + j * VW;
      vstore(c, vload(c) + acc[i][j]);
    }
}

/* One column panel of width nv vectors over all M rows; the row tail gets its own unrolled tile. */
INLINE void gemm_panel(const int nv, int M, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                       const float *B, ptrdiff_t ldb, float *C, ptrdiff_t ldc) {
  int i = 0;
  for (; i + MR <= M; i += MR) gemm_tile(MR, nv, K, A + i * rsa, rsa, csa, B, ldb, C + i * ldc, ldc);
  const float *a = A + i * rsa;
  float *c = C + i * ldc;
  switch (M - i) {
#define TAIL(r) \
  case r: gemm_tile(r, nv, K, a, rsa, csa, B, ldb, c, ldc); break;
    TAIL(1) TAIL(2) TAIL(3)
#if MR > 4
    TAIL(4) TAIL(5) TAIL(6) TAIL(7)
#endif
#undef TAIL
    default: break;
  }
}

static void gemm(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa, const float *B, ptrdiff_t ldb,
                 float *C, ptrdiff_t ldc) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  int j = 0;
  for (; j + NV * VW <= N; j += NV * VW) gemm_panel(NV, M, K, A, rsa, csa, B + j, ldb, C + j, ldc);
  for (; j + VW <= N; j += VW) gemm_panel(1, M, K, A, rsa, csa, B + j, ldb, C + j, ldc);
  /* Columns past the last whole vector: only odd unit counts get here. */
  for (; j < N; j++)
    for (int i = 0; i < M; i++) {
      float s = 0.0f;
      for (int k = 0; k < K; k++) s += A[i * rsa + k * csa] * B[k * ldb + j];
      C[i * ldc + j] += s;
    }
}
