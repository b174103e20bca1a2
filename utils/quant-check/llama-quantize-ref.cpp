//===- llama-quantize-ref.cpp - Quantize a GGUF with llama.cpp itself -------===//
//
// llama-quantize-ref IN.gguf OUT.gguf FTYPE [THREADS]
// Runs llama_model_quantize of the real llama.cpp runtime with its default
// parameters (no importance matrix) for llama_ftype FTYPE, so tests can
// compare ggufc's quantized output with llama.cpp's, tensor by tensor, and
// utils/bench.py can time it. THREADS defaults to 1; 0 means all cores.
//
//===----------------------------------------------------------------------===//
#include "llama.h"
#include <cstdio>
#include <cstdlib>

int main(int Argc, char **Argv) {
  if (Argc != 4 && Argc != 5) {
    std::fprintf(stderr,
                 "usage: llama-quantize-ref IN.gguf OUT.gguf FTYPE [THREADS]\n");
    return 2;
  }
  llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
  llama_backend_init();
  llama_model_quantize_params Params = llama_model_quantize_default_params();
  Params.ftype = llama_ftype(std::atoi(Argv[3]));
  Params.nthread = Argc == 5 ? std::atoi(Argv[4]) : 1;
  uint32_t Status = llama_model_quantize(Argv[1], Argv[2], &Params);
  llama_backend_free();
  if (Status != 0) {
    std::fprintf(stderr, "llama-quantize-ref: error: %s: llama_model_quantize "
                         "failed\n", Argv[1]);
    return 1;
  }
  return 0;
}
