//===- llama-check.cpp - Load a GGUF in llama.cpp and report --------------===//
//
// Test utility: proves that a GGUF written by ggufc works in a real llama.cpp
// (the prebuilt release utils/setup.sh installs). Prints stable text for
// FileCheck and diff:
//
//   architecture: qwen3           general.architecture as llama.cpp read it
//   tensors: 31                   tensor count of the GGUF file
//   tensor-types: bf16 21, f32 10 tensors per ggml type, by type name
//   parameters: 123456            llama_model_n_params
//   vocab: 151669                 llama_vocab_n_tokens
//   vocab-type: bpe               bos: -1   eos: 151645
//   special 3: 9707 11 1879       corpus line 3 with parse_special = true
//   plain 3: 9707 11 1879         corpus line 3 with parse_special = false
//   prompt: 9707 11               --prompt tokens (parse_special = true)
//   top 1: 1879 12.345            next-token ids and logits, best first
//   finite: yes                   all logits of the last position finite
//
//===----------------------------------------------------------------------===//
#include "Corpus.h"
#include "ggml-backend.h"
#include "gguf.h"
#include "llama.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

using namespace llvm;
using namespace llama_check;

static cl::OptionCategory Category("llama-check options");
static cl::opt<std::string> ModelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.gguf>"),
                                      cl::cat(Category));
static cl::opt<bool> VocabOnly("vocab-only",
                               cl::desc("Load only the vocabulary"),
                               cl::cat(Category));
static cl::opt<std::string>
    CorpusPath("tokenize", cl::value_desc("corpus"),
               cl::desc("Tokenize every case of a JSON-lines corpus file"),
               cl::cat(Category));
static cl::opt<bool> AddSpecial("add-special",
                                cl::desc("Let llama.cpp add BOS/EOS when "
                                         "tokenizing, as the model asks"),
                                cl::cat(Category));
static cl::opt<std::string> Prompt("prompt",
                                   cl::desc("Decode this text and print the "
                                            "most likely next tokens"),
                                   cl::cat(Category));
static cl::opt<unsigned> TopK("top", cl::init(5),
                              cl::desc("How many next tokens to print"),
                              cl::cat(Category));
static cl::opt<std::string>
    BackendDir("backend-dir", cl::init(LLAMA_CHECK_BACKEND_DIR),
               cl::desc("Directory with llama.cpp's libggml-cpu-*.so"),
               cl::cat(Category));
static cl::opt<bool> Verbose("verbose", cl::desc("Show llama.cpp's log"),
                             cl::cat(Category));

namespace {

// llama.cpp logs a lot; keep warnings and errors to explain a failed load.
struct LogCapture {
  std::string Problems;
  ggml_log_level Last = GGML_LOG_LEVEL_NONE;

  static void callback(ggml_log_level Level, const char *Text, void *Self) {
    auto &Log = *static_cast<LogCapture *>(Self);
    if (Verbose) {
      errs() << Text;
      return;
    }
    if (Level != GGML_LOG_LEVEL_CONT)
      Log.Last = Level;
    if (Log.Last >= GGML_LOG_LEVEL_WARN)
      Log.Problems += Text;
  }
};

LogCapture Log;

[[noreturn]] void fail(const Twine &Message) {
  outs().flush();
  errs() << "llama-check: error: " << Message << "\n";
  if (!Log.Problems.empty())
    errs() << "llama-check: note: llama.cpp said:\n" << Log.Problems;
  std::exit(1);
}

struct ModelDeleter {
  void operator()(llama_model *M) const { llama_model_free(M); }
};
struct ContextDeleter {
  void operator()(llama_context *C) const { llama_free(C); }
};

/// What the GGUF file itself declares, read with llama.cpp's gguf reader.
struct FileTensors {
  int64_t Count = 0;
  std::map<std::string, int64_t> PerType; // ggml type name -> tensors
};

FileTensors readFileTensors(StringRef Path) {
  gguf_init_params Params = {/*no_alloc=*/true, /*ctx=*/nullptr};
  gguf_context *Gguf = gguf_init_from_file(Path.str().c_str(), Params);
  if (!Gguf)
    fail(Path + ": not a readable GGUF file");
  FileTensors Tensors;
  Tensors.Count = gguf_get_n_tensors(Gguf);
  for (int64_t I = 0; I < Tensors.Count; ++I)
    ++Tensors.PerType[ggml_type_name(gguf_get_tensor_type(Gguf, I))];
  gguf_free(Gguf);
  return Tensors;
}

std::string metaString(const llama_model *Model, const char *Key) {
  std::vector<char> Buf(256);
  int32_t Len = llama_model_meta_val_str(Model, Key, Buf.data(), Buf.size());
  if (Len < 0)
    return "<missing>";
  if (size_t(Len) >= Buf.size()) {
    Buf.resize(Len + 1);
    llama_model_meta_val_str(Model, Key, Buf.data(), Buf.size());
  }
  return Buf.data();
}

StringRef vocabTypeName(enum llama_vocab_type Type) {
  switch (Type) {
  case LLAMA_VOCAB_TYPE_NONE:
    return "none";
  case LLAMA_VOCAB_TYPE_SPM:
    return "spm";
  case LLAMA_VOCAB_TYPE_BPE:
    return "bpe";
  case LLAMA_VOCAB_TYPE_WPM:
    return "wpm";
  case LLAMA_VOCAB_TYPE_UGM:
    return "ugm";
  case LLAMA_VOCAB_TYPE_RWKV:
    return "rwkv";
  default:
    return "other";
  }
}

std::vector<llama_token> tokenize(const llama_vocab *Vocab,
                                  const std::string &Text, bool ParseSpecial) {
  // A negative result is the size needed.
  std::vector<llama_token> Tokens(Text.size() + 8);
  int32_t N = llama_tokenize(Vocab, Text.data(), Text.size(), Tokens.data(),
                             Tokens.size(), AddSpecial, ParseSpecial);
  if (N < 0) {
    Tokens.resize(-N);
    N = llama_tokenize(Vocab, Text.data(), Text.size(), Tokens.data(),
                       Tokens.size(), AddSpecial, ParseSpecial);
  }
  if (N < 0)
    fail("tokenization failed");
  Tokens.resize(N);
  return Tokens;
}

void printTokens(StringRef Label, ArrayRef<llama_token> Tokens) {
  outs() << Label << ":";
  for (llama_token T : Tokens)
    outs() << " " << T;
  outs() << "\n";
}

void printHeader(const llama_model *Model, const FileTensors &Tensors) {
  const llama_vocab *Vocab = llama_model_get_vocab(Model);
  outs() << "architecture: " << metaString(Model, "general.architecture")
         << "\n";
  outs() << "tensors: " << Tensors.Count << "\n";
  outs() << "tensor-types:";
  ListSeparator Comma(",");
  for (const auto &[Type, Count] : Tensors.PerType)
    outs() << Comma << " " << Type << " " << Count;
  outs() << "\n";
  outs() << "parameters: " << llama_model_n_params(Model) << "\n";
  outs() << "vocab: " << llama_vocab_n_tokens(Vocab) << "\n";
  outs() << "vocab-type: " << vocabTypeName(llama_vocab_type(Vocab)) << "\n";
  outs() << "bos: " << llama_vocab_bos(Vocab) << "\n";
  outs() << "eos: " << llama_vocab_eos(Vocab) << "\n";
}

void tokenizeCorpus(const llama_vocab *Vocab) {
  auto Cases = readCorpus(CorpusPath);
  if (!Cases)
    fail(toString(Cases.takeError()));
  for (const CorpusCase &Case : *Cases) {
    std::string Line = std::to_string(Case.Line);
    printTokens("special " + Line, tokenize(Vocab, Case.Text, true));
    printTokens("plain " + Line, tokenize(Vocab, Case.Text, false));
  }
}

void decodePrompt(llama_model *Model) {
  const llama_vocab *Vocab = llama_model_get_vocab(Model);
  std::vector<llama_token> Tokens = tokenize(Vocab, Prompt, true);
  printTokens("prompt", Tokens);
  if (Tokens.empty())
    fail("the prompt has no tokens");

  llama_context_params Params = llama_context_default_params();
  Params.n_ctx = Tokens.size() + 16;
  Params.n_batch = Params.n_ubatch = Tokens.size();
  Params.n_threads = Params.n_threads_batch = 2;
  Params.no_perf = true;
  std::unique_ptr<llama_context, ContextDeleter> Context(
      llama_init_from_model(Model, Params));
  if (!Context)
    fail(ModelPath + ": llama.cpp could not create a context");
  if (int32_t Status = llama_decode(
          Context.get(), llama_batch_get_one(Tokens.data(), Tokens.size())))
    fail(ModelPath + ": llama_decode failed with status " + Twine(Status));

  const float *Logits = llama_get_logits_ith(Context.get(), -1);
  if (!Logits)
    fail(ModelPath + ": llama.cpp returned no logits");
  int32_t VocabSize = llama_vocab_n_tokens(Vocab);
  std::vector<int32_t> Order(VocabSize);
  std::iota(Order.begin(), Order.end(), 0);
  // NaN sorts last; ties keep the lower id first so the output is stable.
  auto Better = [&](int32_t A, int32_t B) {
    if (std::isnan(Logits[A]) || std::isnan(Logits[B]))
      return !std::isnan(Logits[A]) && std::isnan(Logits[B]);
    return Logits[A] > Logits[B] || (Logits[A] == Logits[B] && A < B);
  };
  size_t Shown = std::min<size_t>(TopK, Order.size());
  std::partial_sort(Order.begin(), Order.begin() + Shown, Order.end(), Better);
  for (size_t I = 0; I < Shown; ++I)
    outs() << "top " << I + 1 << ": " << Order[I] << " "
           << format("%.3f", Logits[Order[I]]) << "\n";
  bool Finite = std::all_of(Logits, Logits + VocabSize,
                            [](float L) { return std::isfinite(L); });
  outs() << "finite: " << (Finite ? "yes" : "no") << "\n";
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(Category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Load a GGUF in llama.cpp and report what it "
                              "sees: metadata, tokenization, next tokens\n");
  llama_log_set(LogCapture::callback, &Log);
  ggml_log_set(LogCapture::callback, &Log);
  if (VocabOnly && !Prompt.empty())
    fail("--prompt needs the weights; it cannot be used with --vocab-only");

  FileTensors Tensors = readFileTensors(ModelPath);
  ggml_backend_load_all_from_path(BackendDir.c_str());
  if (!VocabOnly && ggml_backend_dev_count() == 0)
    fail("no llama.cpp backend found in " + BackendDir);
  llama_backend_init();

  llama_model_params Params = llama_model_default_params();
  Params.vocab_only = VocabOnly;
  std::unique_ptr<llama_model, ModelDeleter> Model(
      llama_model_load_from_file(ModelPath.c_str(), Params));
  if (!Model)
    fail(ModelPath + ": llama.cpp failed to load the model");

  printHeader(Model.get(), Tensors);
  if (!CorpusPath.empty())
    tokenizeCorpus(llama_model_get_vocab(Model.get()));
  if (!Prompt.empty())
    decodePrompt(Model.get());
  Model.reset();
  llama_backend_free();
  return 0;
}
