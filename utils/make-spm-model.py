#!/usr/bin/python3
"""Trains a tiny SentencePiece model for tests and writes what the
SentencePiece library reports about it.

usage: make-spm-model.py OUT_DIR [--model-type bpe|unigram] [--vocab-size N]
           [--user-defined A,B] [--control C,D] [--byte-fallback]
           [--no-dummy-prefix] [--identity] [--gemma-ids] [--gemma-pieces]

Writes OUT_DIR/tokenizer.model and OUT_DIR/expected.json:
  pieces, scores       per id, from SentencePieceProcessor
  types                per id, GGUF token types: 2 unknown, 3 control,
                       5 unused, 6 byte (from the processor), 4 for the
                       pieces passed as --user-defined, else 1 normal
  add_dummy_prefix     whether encoding a word prepends U+2581 (observed)
  unk_id bos_id eos_id pad_id
--identity trains without text normalization (Gemma's normalizer is
"identity"; the default NFKC one is not applied by llama.cpp).
--gemma-ids numbers the reserved pieces as Gemma does (pad 0, eos 1, bos 2,
unk 3) instead of SentencePiece's default (unk 0, bos 1, eos 2, no pad).
--gemma-pieces names BOS and EOS as Gemma does (<bos>, <eos>) instead of
<s> and </s>.
The corpus is generated from a fixed seed, so the model is reproducible.
Uses Debian's python3-sentencepiece.
"""
import argparse
import json
import os
import random
import sys

WORDS = ("the quick brown fox jumps over lazy dog tokenizer piece model "
         "gemma vocabulary merge score byte unicode space newline hello "
         "world compiler tensor graph").split()


def corpus(seed=1234, lines=400):
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
        if rng.random() < 0.2:
            words.append(rng.choice(["über", "naïve", "日本語", "émoji"]))
        out.append(" ".join(words))
    return out


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--model-type", default="bpe",
                        choices=["bpe", "unigram"])
    parser.add_argument("--vocab-size", type=int, default=400)
    parser.add_argument("--user-defined", default="")
    parser.add_argument("--control", default="")
    parser.add_argument("--byte-fallback", action="store_true")
    parser.add_argument("--no-dummy-prefix", action="store_true")
    parser.add_argument("--identity", action="store_true")
    parser.add_argument("--gemma-ids", action="store_true")
    parser.add_argument("--gemma-pieces", action="store_true")
    args = parser.parse_args(argv)

    import sentencepiece as spm

    user_defined = [s for s in args.user_defined.split(",") if s]
    control = [s for s in args.control.split(",") if s]
    ids = (dict(pad_id=0, eos_id=1, bos_id=2, unk_id=3) if args.gemma_ids
           else dict(unk_id=0, bos_id=1, eos_id=2, pad_id=-1))
    if args.gemma_pieces:
        ids.update(bos_piece="<bos>", eos_piece="<eos>")
    os.makedirs(args.out_dir, exist_ok=True)
    prefix = os.path.join(args.out_dir, "tokenizer")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus()), model_prefix=prefix,
        vocab_size=args.vocab_size, model_type=args.model_type,
        user_defined_symbols=user_defined, control_symbols=control,
        byte_fallback=args.byte_fallback,
        add_dummy_prefix=not args.no_dummy_prefix,
        normalization_rule_name="identity" if args.identity else "nmt_nfkc",
        remove_extra_whitespaces=False, hard_vocab_limit=False,
        minloglevel=2, **ids)
    os.remove(prefix + ".vocab")

    sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
    pieces, scores, types = [], [], []
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        pieces.append(piece)
        scores.append(sp.get_score(i))
        if sp.is_unknown(i):
            types.append(2)
        elif sp.is_control(i):
            types.append(3)
        elif sp.is_unused(i):
            types.append(5)
        elif sp.is_byte(i):
            types.append(6)
        elif piece in user_defined:
            types.append(4)
        else:
            types.append(1)
    expected = {
        "pieces": pieces,
        "scores": scores,
        "types": types,
        "add_dummy_prefix":
            sp.encode_as_pieces(WORDS[0])[0].startswith("\u2581"),
        "unk_id": sp.unk_id(), "bos_id": sp.bos_id(),
        "eos_id": sp.eos_id(), "pad_id": sp.pad_id(),
    }
    with open(os.path.join(args.out_dir, "expected.json"), "w",
              encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
