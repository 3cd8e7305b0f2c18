/* Built with -mavx512f -mfma (binding.gyp); chosen only when the CPU and OS support AVX-512F. */
#define VW 16
#define KERNELS rnn_kernels_avx512
#define KERNELS_NAME "avx512"
#include "kernels.inc.h"
