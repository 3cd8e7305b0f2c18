/* Built with -mavx2 -mfma (binding.gyp); chosen when the CPU has AVX2 and FMA but not AVX-512. */
#define VW 8
#define KERNELS rnn_kernels_avx2
#define KERNELS_NAME "avx2"
#include "kernels.inc.h"
