/* Baseline flags only (SSE2 on x86-64, NEON on arm64): runs on every CPU Node runs on. */
#define VW 4
#define KERNELS rnn_kernels_generic
#define KERNELS_NAME "generic"
#include "kernels.inc.h"
