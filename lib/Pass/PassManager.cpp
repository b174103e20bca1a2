//===- PassManager.cpp - Running pipelines with instrumentation ---------------===//
//
// A pipeline is built completely (every name looked up, every option string
// parsed) before anything runs, so a typo fails fast. Instrumentation (IR
// dumps, verification, timing) wraps each pass the same way.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Pass/PassManager.h"
#include "ggufc/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include <algorithm>
#include <chrono>

using namespace llvm;

namespace ggufc {

std::string PipelineElement::text() const {
  return Options.empty() ? Name : Name + "<" + Options + ">";
}

static Error pipelineError(StringRef Text, const Twine &Message) {
  return createStringError(inconvertibleErrorCode(),
                           "invalid pass pipeline '" + Text + "': " + Message);
}

/// One element "name" or "name<options>"; options may nest <>.
static Expected<PipelineElement> parseElement(StringRef Pipeline,
                                              StringRef Elem) {
  Elem = Elem.trim();
  if (Elem.empty())
    return pipelineError(Pipeline, "empty pass name");
  size_t Open = Elem.find('<');
  PipelineElement E;
  E.Name = Elem.take_front(Open).trim().str();
  if (E.Name.empty())
    return pipelineError(Pipeline, "missing pass name before '<'");
  if (Open == StringRef::npos) {
    if (Elem.contains('>'))
      return pipelineError(Pipeline, "'>' without '<' in '" + Elem + "'");
    return E;
  }
  if (!Elem.endswith(">"))
    return pipelineError(Pipeline, "text after the options of '" + Elem + "'");
  E.Options = Elem.slice(Open + 1, Elem.size() - 1).str();
  // Depth returned to zero before the final '>' means "a<x>b<y>".
  int Depth = 0;
  for (size_t I = Open; I + 1 < Elem.size(); ++I) {
    Depth += Elem[I] == '<' ? 1 : Elem[I] == '>' ? -1 : 0;
    if (Depth == 0)
      return pipelineError(Pipeline, "text after the options of '" + Elem + "'");
  }
  return E;
}

Expected<std::vector<PipelineElement>> parsePipeline(StringRef Text) {
  std::vector<PipelineElement> Elements;
  if (Text.trim().empty())
    return Elements;
  int Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I <= Text.size(); ++I) {
    char C = I < Text.size() ? Text[I] : ',';
    if (C == '<') {
      ++Depth;
    } else if (C == '>') {
      if (--Depth < 0)
        return pipelineError(Text, "unbalanced '>'");
    } else if (C == ',' && Depth == 0) {
      Expected<PipelineElement> E =
          parseElement(Text, Text.slice(Start, I));
      if (!E)
        return E.takeError();
      Elements.push_back(std::move(*E));
      Start = I + 1;
    }
  }
  if (Depth != 0)
    return pipelineError(Text, "unbalanced '<'");
  return Elements;
}

Expected<PassManager> PassManager::create(StringRef Pipeline) {
  Expected<std::vector<PipelineElement>> Elements = parsePipeline(Pipeline);
  if (!Elements)
    return Elements.takeError();
  PassManager PM;
  for (PipelineElement &E : *Elements) {
    const PassInfo *Info = PassRegistry::get().lookup(E.Name);
    if (!Info)
      return createStringError(inconvertibleErrorCode(),
                               "unknown pass '" + E.Name +
                                   "' in -passes (see --print-passes)");
    Expected<std::unique_ptr<Pass>> P = Info->Create(E.Options);
    if (!P)
      return P.takeError();
    PM.Passes.push_back(std::move(*P));
    PM.Elements.push_back(std::move(E));
  }
  return PM;
}

namespace {

bool selects(const std::vector<std::string> &Names, const PipelineElement &E) {
  return is_contained(Names, E.Name) || is_contained(Names, E.text());
}

void dump(const Module &M, const Instrumentation &Instr, StringRef When,
          const PipelineElement &E) {
  raw_ostream &OS = Instr.PrintStream ? *Instr.PrintStream : errs();
  OS << "; *** IR Dump " << When << ' ' << E.text() << " ***\n";
  printModule(M, OS, Instr.Print);
}

/// Prefixes every message of a (possibly joined) error.
Error prefixEach(Error E, const Twine &Prefix) {
  Error Out = Error::success();
  std::string P = Prefix.str();
  handleAllErrors(std::move(E), [&](const ErrorInfoBase &Info) {
    Out = joinErrors(std::move(Out),
                     createStringError(Info.convertToErrorCode(),
                                       P + Info.message()));
  });
  return Out;
}

void printTimingReport(ArrayRef<PipelineElement> Elements,
                       ArrayRef<double> Seconds, raw_ostream &OS) {
  double Total = 0;
  for (double S : Seconds)
    Total += S;
  auto Line = [&](double S, StringRef Name) {
    double Percent = Total > 0 ? 100.0 * S / Total : 0.0;
    OS << format("  %9.4f (%5.1f%%)  ", S, Percent) << Name << '\n';
  };
  OS << "===" << std::string(73, '-') << "===\n"
     << "                      ... Pass execution timing report ...\n"
     << "===" << std::string(73, '-') << "===\n"
     << format("  Total Execution Time: %.4f seconds\n\n", Total)
     << "   ---Wall Time---  --- Name ---\n";
  for (size_t I = 0; I < Seconds.size(); ++I)
    Line(Seconds[I], Elements[I].text());
  Line(Total, "Total");
  OS << '\n';
}

} // namespace

Error PassManager::run(Module &M, const Instrumentation &Instr,
                       Statistics &Stats, raw_ostream &TimingOS) {
  std::vector<double> Seconds;
  // The timing report also covers a pipeline that stopped on an error.
  auto Finish = [&](Error E) {
    if (Instr.TimePasses)
      printTimingReport(Elements, Seconds, TimingOS);
    return E;
  };
  for (size_t I = 0; I < Passes.size(); ++I) {
    const PipelineElement &E = Elements[I];
    if (Instr.PrintBeforeAll || selects(Instr.PrintBefore, E))
      dump(M, Instr, "Before", E);

    auto Start = std::chrono::steady_clock::now();
    Error Err = Passes[I]->run(M, Stats);
    Seconds.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - Start)
                          .count());
    if (Err)
      return Finish(prefixEach(std::move(Err), "pass '" + E.text() + "': "));

    if (Instr.PrintAfterAll || selects(Instr.PrintAfter, E))
      dump(M, Instr, "After", E);
    if (Instr.VerifyEach)
      if (Error V = verifyModule(M))
        return Finish(
            prefixEach(std::move(V), "after pass '" + E.text() + "': "));
  }
  return Finish(Error::success());
}

void printStatistics(const Statistics &Stats, raw_ostream &OS) {
  if (Stats.all().empty())
    return;
  size_t CountWidth = 0, PassWidth = 0;
  for (const auto &KV : Stats.all()) {
    CountWidth = std::max(CountWidth, std::to_string(KV.second).size());
    PassWidth = std::max(PassWidth, KV.first.first.size());
  }
  OS << "===" << std::string(73, '-') << "===\n"
     << "                          ... Statistics Collected ...\n"
     << "===" << std::string(73, '-') << "===\n\n";
  for (const auto &KV : Stats.all())
    OS << format("%*llu %-*s - ", int(CountWidth),
                 (unsigned long long)KV.second, int(PassWidth),
                 KV.first.first.c_str())
       << KV.first.second << '\n';
  OS << '\n';
}

} // namespace ggufc
