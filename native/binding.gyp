{
  # One kernel source (src/kernels.inc.h) compiled three times with different instruction-set
  # flags; the binding picks the widest one the CPU supports at load time. Only the per-ISA units
  # get -mavx*, so the rest of the addon runs on any x86-64. macOS (clang via Xcode settings) gets
  # the same flags; Windows (MSVC: no GCC vector extensions, no pthreads) is not supported, so the
  # install script's build fails there and training uses tfjs' kernels, as it says.
  "targets": [
    {
      "target_name": "fused_rnn",
      "sources": ["src/addon.c", "src/pool.c", "src/kernels_generic.c"],
      "cflags": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast", "-Wall", "-Wextra", "-Wno-unused-function"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast"] },
      "defines": ["_GNU_SOURCE"],
      "libraries": ["-lpthread"],
      "conditions": [
        ["target_arch=='x64'", {
          "dependencies": ["fused_rnn_avx2", "fused_rnn_avx512"]
        }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "fused_rnn_avx2",
          "type": "static_library",
          "sources": ["src/kernels_avx2.c"],
          "cflags": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast", "-mavx2", "-mfma", "-fPIC"],
          "cflags!": ["-O2"],
          "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast", "-mavx2", "-mfma"] }
        },
        {
          "target_name": "fused_rnn_avx512",
          "type": "static_library",
          "sources": ["src/kernels_avx512.c"],
          "cflags": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast", "-mavx512f", "-mavx512vl", "-mfma", "-fPIC"],
          "cflags!": ["-O2"],
          "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=c11", "-fno-math-errno", "-ffp-contract=fast", "-mavx512f", "-mavx512vl", "-mfma"] }
        }
      ]
    }]
  ]
}
