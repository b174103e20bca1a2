#!/usr/bin/python3
"""Reference tokenization of a corpus with SentencePiece (Debian's
python3-sentencepiece) from a tokenizer.model file.

Prints "plain <line>: <ids>" like utils/llama-check, so the two diff
directly: SentencePiece matches user-defined pieces in the text but never
control pieces, as llama.cpp does with parse_special = false (its "plain"
lines).

usage: ref-tokenize-spm.py TOKENIZER_MODEL CORPUS [--add-special]

--add-special prepends the model's BOS id (if it has one), as llama.cpp does
for SentencePiece vocabularies that ask for it.

The corpus has one JSON string literal per line; empty lines are skipped (same
rules as utils/llama-check/Corpus.cpp and utils/ref-tokenize.mjs).
"""
import json
import sys


def fail(message):
    sys.stderr.write(f"ref-tokenize-spm: error: {message}\n")
    sys.exit(1)


def read_corpus(path):
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{path}: {e}")
    cases = []
    for index, raw_line in enumerate(data.split("\n")):
        line = raw_line[:-1] if raw_line.endswith("\r") else raw_line
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            # A lone surrogate is not a Unicode scalar value; the C++ and
            # JavaScript readers reject it too.
            value.encode("utf-8")
        except (ValueError, AttributeError):
            value = None
        if not isinstance(value, str):
            fail(f"{path}:{index + 1}: expected one JSON string per line")
        cases.append((index + 1, value))
    return cases


def main(argv):
    add_special = "--add-special" in argv
    positional = [a for a in argv if not a.startswith("--")]
    if len(positional) != 2 or len(positional) + add_special != len(argv):
        fail("usage: ref-tokenize-spm.py TOKENIZER_MODEL CORPUS [--add-special]")
    model_path, corpus_path = positional
    cases = read_corpus(corpus_path)
    try:
        import sentencepiece
    except ImportError:
        fail("python3-sentencepiece is not installed (run utils/setup.sh)")
    processor = sentencepiece.SentencePieceProcessor()
    try:
        processor.Load(model_path)
    except (OSError, RuntimeError) as e:
        fail(f"{model_path}: {e}")
    prefix = [processor.bos_id()] if add_special and processor.bos_id() >= 0 else []
    out = []
    for line, text in cases:
        ids = prefix + processor.EncodeAsIds(text)
        out.append(f"plain {line}:" + "".join(f" {i}" for i in ids) + "\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
