#!/usr/bin/python3
"""Runs GGUF files through a real llama.cpp (utils/llama-check) and checks
that it loads them, tokenizes like the reference tokenizer and decodes.

usage: conformance.py CHECKPOINT_DIR [-o WORK_DIR] [options]
       conformance.py FILE.gguf... --tokenizer DIR [options]
options: [--corpus FILE] [--expected-differences FILE] [--prompt TEXT]
         [--no-tokenize]

A checkpoint directory is converted by ggufc once per output type (f32, f16,
bf16) into WORK_DIR (default: a temporary directory); .gguf files are checked
as they are. For every GGUF it prints a block of stable text:

  == f16.gguf
  architecture: qwen3                 the header lines of llama-check
  tensors: 24
  tensor-types: f16 15, f32 9
  vocab: 151680
  vocab-type: bpe
  bos: 151643
  eos: 151645
  tokenize special: 80 of 83 identical, 3 expected differences
  tokenize plain: 79 of 83 identical, 4 expected differences
  tokenize special+add: 80 of 83 identical, 3 expected differences
  decode finite: yes
  decode deterministic: yes

Tokenization compares every case of the corpus (one JSON string per line,
see docs/Runtime.md), llama.cpp (vocab_only) against a reference tokenizer
for the files of --tokenizer DIR (default: the checkpoint directory), in the
modes that reference has:
  special      special tokens parsed, nothing added
  plain        special tokens as text (llama.cpp's parse_special = false)
  special+add  special tokens parsed, BOS/EOS added as the model asks
  plain+add    special tokens as text, BOS/EOS added
tokenizer.json: utils/ref-tokenize.mjs, modes special, plain, special+add.
Otherwise tokenizer.model: utils/ref-tokenize-spm.py, modes plain and
plain+add (SentencePiece never matches control pieces in text).
A case listed in the expected-differences file (lines "<mode> <corpus line>",
each group under a comment giving the reason) must differ; any other must be
identical. Decoding runs the prompt twice in separate processes: all logits
must be finite and both runs must print the same top 5.

Every problem is printed as "error: ..." with the differing token ids; the
last line is "conformance: passed" (exit 0) or "conformance: failed,
N problem(s)" (exit 1). Tools are taken from PATH, else from <repo>/build/bin;
the runtime from $GGUFC_RUNTIME_DIR, else <repo>/.runtime.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTTYPES = ("f32", "f16", "bf16")
DEFAULT_CORPUS = os.path.join(REPO, "test", "Runtime", "Inputs", "corpus.txt")
DEFAULT_PROMPT = "<|im_start|>user\nHello world<|im_end|>\n<|im_start|>assistant\n"
HEADER_KEYS = ("architecture", "tensors", "tensor-types", "vocab", "vocab-type",
               "bos", "eos")
DECODE_KEYS = ("prompt", "top", "finite")

# Tokenization modes: llama-check options and the label of its lines.
MODES = {
    "special": ([], "special"),  # special tokens parsed
    "plain": ([], "plain"),  # special tokens as text
    "special+add": (["--add-special"], "special"),  # and BOS/EOS added
    "plain+add": (["--add-special"], "plain"),
}


class Report:
    def __init__(self):
        self.problems = 0

    def line(self, text):
        print(text, flush=True)

    def error(self, text):
        self.problems += 1
        self.line("error: " + text)


def usage_error(message):
    sys.stderr.write(f"conformance: error: {message}\n")
    sys.exit(2)


def tool(name):
    found = shutil.which(name) or os.path.join(REPO, "build", "bin", name)
    if not os.access(found, os.X_OK):
        usage_error(f"{name} not found on PATH or in {REPO}/build/bin "
                    "(run utils/setup.sh)")
    return found


def run(command):
    """(exit status, stdout, stderr) of a command."""
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as e:
        usage_error(f"{command[0]}: {e.strerror}")
    return done.returncode, done.stdout, done.stderr


def keyed_lines(output, keys):
    """The lines of llama-check output whose key (text before ':', without a
    trailing number) is one of keys, in order."""
    return [l for l in output.splitlines()
            if l.split(":", 1)[0].split(" ")[0] in keys]


def ids_by_case(output, label):
    """{corpus line: 'ids'} from lines '<label> <line>: <ids>'."""
    cases = {}
    for l in output.splitlines():
        head, sep, ids = l.partition(":")
        words = head.split(" ")
        if sep and len(words) == 2 and words[0] == label and words[1].isdigit():
            cases[int(words[1])] = ids.strip()
    return cases


def read_expected_differences(path):
    """{(mode, corpus line)} from lines '<mode> <line>'; '#' starts a comment."""
    expected = set()
    if not path:
        return expected
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        usage_error(f"{path}: {e.strerror}")
    for number, text in enumerate(lines, 1):
        words = text.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 2 or words[0] not in MODES or not words[1].isdigit():
            usage_error(f"{path}:{number}: expected '<mode> <corpus line>' with "
                        f"mode one of {', '.join(MODES)}")
        expected.add((words[0], int(words[1])))
    return expected


def reference_tokenizer(tokenizer_dir):
    """(command, {mode: (options, label of its lines)}) of the reference
    tokenizer for the files in tokenizer_dir."""
    utils = os.path.join(REPO, "utils")
    if os.path.isfile(os.path.join(tokenizer_dir, "tokenizer.json")):
        # Adding BOS/EOS does not depend on parsing; one such mode suffices.
        return (["node", os.path.join(utils, "ref-tokenize.mjs"), tokenizer_dir],
                {"special": ([], "special"), "plain": (["--plain"], "plain"),
                 "special+add": (["--add-special"], "special")})
    model = os.path.join(tokenizer_dir, "tokenizer.model")
    if os.path.isfile(model):
        # SentencePiece never matches control pieces in text.
        return ([sys.executable, os.path.join(utils, "ref-tokenize-spm.py"), model],
                {"plain": ([], "plain"), "plain+add": (["--add-special"], "plain")})
    usage_error(f"{tokenizer_dir}: no tokenizer.json or tokenizer.model for "
                "the reference tokenizer (give --tokenizer DIR)")


def reference_tokens(tokenizer_dir, corpus):
    """{mode: {corpus line: ids}} from the reference tokenizer."""
    command, modes = reference_tokenizer(tokenizer_dir)
    reference = {}
    for mode, (options, label) in modes.items():
        status, out, err = run(command + [corpus] + options)
        if status != 0:
            usage_error(f"reference tokenizer failed ({mode}):\n{err}")
        reference[mode] = ids_by_case(out, label)
    return reference


def compare_tokens(mode, llama, reference, expected, corpus_lines, report):
    cases = [n for n, text in enumerate(corpus_lines, 1) if text.strip()]
    same = expected_seen = 0
    for case in cases:
        if case not in llama or case not in reference:
            side = "llama.cpp" if case not in llama else "the reference"
            report.error(f"tokenize {mode}: corpus line {case}: no result from {side}")
            continue
        differs = llama[case] != reference[case]
        if differs and (mode, case) in expected:
            expected_seen += 1
        elif differs:
            report.error(f"tokenize {mode}: corpus line {case} differs: "
                         f"{corpus_lines[case - 1]}\n"
                         f"  llama.cpp: {llama[case]}\n"
                         f"  reference: {reference[case]}")
        elif (mode, case) in expected:
            report.error(f"tokenize {mode}: corpus line {case} was expected to "
                         f"differ but is identical: {reference[case]}")
        else:
            same += 1
    for side, ids in (("llama.cpp", llama), ("the reference", reference)):
        for case in sorted(set(ids) - set(cases)):
            report.error(f"tokenize {mode}: {side} has a result for corpus "
                         f"line {case}, which is no case")
    report.line(f"tokenize {mode}: {same} of {len(cases)} identical, "
                f"{expected_seen} expected differences")


def check_gguf(path, args, reference, expected, report):
    report.line(f"== {os.path.basename(path)}")
    llama_check = tool("llama-check")
    decode = [llama_check, path, "--prompt", args.prompt]
    status, first, err = run(decode)
    if status != 0:
        report.error(f"llama.cpp cannot load or run {path}:\n{err.rstrip()}")
        return
    for l in keyed_lines(first, HEADER_KEYS):
        report.line(l)

    tokenized = {}  # llama-check options -> its run; each prints both labels
    for mode, reference_ids in (reference or {}).items():
        options, label = MODES[mode]
        if tuple(options) not in tokenized:
            tokenized[tuple(options)] = run([llama_check, path, "--vocab-only",
                                             "--tokenize", args.corpus] + options)
        status, out, err = tokenized[tuple(options)]
        if status != 0:
            report.error(f"tokenize {mode}: llama-check failed:\n{err.rstrip()}")
            continue
        compare_tokens(mode, ids_by_case(out, label), reference_ids,
                       expected, args.corpus_lines, report)

    finite = keyed_lines(first, ("finite",))
    report.line("decode " + (finite[0] if finite else "finite: missing"))
    if finite != ["finite: yes"]:
        report.error("decode: the logits are not all finite")
    status, second, err = run(decode)
    same = status == 0 and keyed_lines(first, DECODE_KEYS) == keyed_lines(second, DECODE_KEYS)
    report.line(f"decode deterministic: {'yes' if same else 'no'}")
    if not same:
        report.error("decode: a second run printed something else:\n"
                     + "\n".join(keyed_lines(first, DECODE_KEYS)) + "\nthen:\n"
                     + (second + err).rstrip())


def convert(checkpoint, work_dir, report):
    """ggufc once per output type; the files that were written."""
    written = []
    for outtype in OUTTYPES:
        out = os.path.join(work_dir, f"{outtype}.gguf")
        status, _, err = run([tool("ggufc"), checkpoint, "-outtype", outtype, "-o", out])
        if status != 0:
            report.error(f"ggufc -outtype {outtype} failed:\n{err.rstrip()}")
        else:
            written.append(out)
    return written


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="one checkpoint directory, or .gguf files")
    p.add_argument("-o", dest="work_dir", help="where converted files go")
    p.add_argument("--tokenizer", help="directory with tokenizer.json and "
                   "tokenizer_config.json (default: the checkpoint)")
    p.add_argument("--corpus", default=DEFAULT_CORPUS)
    p.add_argument("--expected-differences")
    p.add_argument("--prompt", default=DEFAULT_PROMPT)
    p.add_argument("--no-tokenize", action="store_true",
                   help="only load and decode (no reference tokenizer)")
    args = p.parse_args()
    try:
        with open(args.corpus, encoding="utf-8") as f:
            args.corpus_lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        usage_error(f"{args.corpus}: {e}")
    expected = read_expected_differences(args.expected_differences)

    checkpoint = args.inputs[0] if os.path.isdir(args.inputs[0]) else None
    if checkpoint and len(args.inputs) > 1:
        usage_error("give one checkpoint directory, or .gguf files")
    tokenizer_dir = args.tokenizer or checkpoint
    if not tokenizer_dir and not args.no_tokenize:
        usage_error(".gguf inputs need --tokenizer DIR (or --no-tokenize)")
    reference = None if args.no_tokenize else reference_tokens(tokenizer_dir, args.corpus)

    report = Report()
    work_dir = args.work_dir or tempfile.mkdtemp(prefix="conformance-")
    try:
        if checkpoint:
            os.makedirs(work_dir, exist_ok=True)
        for gguf in convert(checkpoint, work_dir, report) if checkpoint else args.inputs:
            check_gguf(gguf, args, reference, expected, report)
    finally:
        if not args.work_dir:
            shutil.rmtree(work_dir)
    if report.problems:
        report.line(f"conformance: failed, {report.problems} problem(s)")
        sys.exit(1)
    report.line("conformance: passed")


if __name__ == "__main__":
    main()
