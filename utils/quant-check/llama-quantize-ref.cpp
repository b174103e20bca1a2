//===- llama-quantize-ref.cpp - Quantize a GGUF with llama.cpp itself -------===//
//
// llama-quantize-ref IN.gguf OUT.gguf FTYPE
// Runs llama_model_quantize of the real llama.cpp runtime with its default
// parameters (no importance matrix) for llama_ftype FTYPE, so tests can
// compare ggufc's quantized output with llama.cpp's, tensor by tensor.
//
//===----------------------------------------------------------------------===//
#include "llama.h"
#include <cstdio>
#include <cstdlib>

int main(int Argc, char **Argv) {
  if (Argc != 4) {
    std::fprintf(stderr, "usage: llama-quantize-ref IN.gguf OUT.gguf FTYPE\n");
    return 2;
  }
  llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
  llama_backend_init();
  llama_model_quantize_params Params = llama_model_quantize_default_params();
  Params.ftype = llama_ftype(std::atoi(Argv[3]));
  Params.nthread = 1;
  uint32_t Status = llama_model_quantize(Argv[1], Argv[2], &Params);
  llama_backend_free();
  if (Status != 0) {
    std::fprintf(stderr, "llama-quantize-ref: error: %s: llama_model_quantize "
                         "failed\n", Argv[1]);
    return 1;
  }
  return 0;
}
