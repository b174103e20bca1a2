"""Tokenizer files of a fixture: a tiny synthetic byte-level BPE tokenizer laid
out like Qwen's tokenizer.json / tokenizer_config.json, a tiny SentencePiece
tokenizer.model laid out like Gemma's (trained by utils/make-spm-model.py),
or a copy of real ones."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple

# Ids the config and generation_config refer to; size = number of token ids;
# stop_ids = generation_config's eos_token_id list.
TokenizerInfo = namedtuple("TokenizerInfo", "size bos_id eos_id pad_id stop_ids")

# Qwen2/Qwen3 pre-tokenizer split regex (as in Qwen/Qwen3-0.6B tokenizer.json).
QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
               r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False,
              "trim_offsets": False, "use_regex": False}
MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"),
          ("e", "r"), ("Ġ", "Ġ"), ("o", "n")]
# (content, special) after the BPE vocabulary, as Qwen3 has them.
ADDED = [("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True),
         ("<think>", False), ("</think>", False)]
CHAT_TEMPLATE = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
                 "{{ message['content'] }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def byte_level_alphabet():
    """The 256 byte-level symbols in GPT-2's order (printable bytes keep their
    code point, the others are shifted past 255)."""
    printable = (list(range(ord("!"), ord("~") + 1)) +
                 list(range(ord("¡"), ord("¬") + 1)) +
                 list(range(ord("®"), ord("ÿ") + 1)))
    symbols, extra = [chr(b) for b in printable], 0
    for b in range(256):
        if b not in printable:
            symbols.append(chr(256 + extra))
            extra += 1
    return symbols


def write_synthetic(out_dir):
    vocab = {s: i for i, s in enumerate(byte_level_alphabet())}
    for a, b in MERGES:
        vocab[a + b] = len(vocab)
    added = []
    for content, special in ADDED:
        added.append({"id": len(vocab) + len(added), "content": content,
                      "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": special})
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": QWEN2_SPLIT},
             "behavior": "Isolated", "invert": False}, BYTE_LEVEL]},
        "post_processor": BYTE_LEVEL, "decoder": BYTE_LEVEL,
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "",
                  "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": False, "vocab": vocab,
                  "merges": [list(m) for m in MERGES]},
    }
    config = {
        "add_bos_token": False, "add_prefix_space": False,
        "added_tokens_decoder": {
            str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized",
                                             "rstrip", "single_word", "special")}
            for t in added},
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None, "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False, "eos_token": "<|im_end|>",
        "errors": "replace", "model_max_length": 131072,
        "pad_token": "<|endoftext|>", "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer", "unk_token": None,
    }
    dump(os.path.join(out_dir, "tokenizer.json"), tokenizer)
    dump(os.path.join(out_dir, "tokenizer_config.json"), config)
    return info(tokenizer)


# Gemma's reserved pieces after pad/eos/bos/unk (ids 4..107), so that the
# ids the gemma architecture fixes (<end_of_turn> = 107, FIM 67..69) and the
# chat template's pieces are where Gemma has them.
GEMMA_CONTROL = (["<mask>", "<2mass>", "[@BOS@]"] +
                 ["<unused%d>" % i for i in range(99)] +
                 ["<start_of_turn>", "<end_of_turn>"])
GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'assistant' %}{% set role = 'model' %}"
    "{% else %}{% set role = message['role'] %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + "
    "'<end_of_turn>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}")
MAKE_SPM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "make-spm-model.py")


def write_spm(out_dir, vocab_size=512):
    """A Gemma-like SentencePiece tokenizer.model (pad 0, eos 1, bos 2, unk 3,
    byte fallback, no dummy prefix, identity normalizer) and a
    tokenizer_config.json like Gemma's."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, MAKE_SPM, tmp, "--vocab-size", str(vocab_size),
                        "--gemma-ids", "--gemma-pieces", "--identity",
                        "--byte-fallback", "--no-dummy-prefix",
                        "--control", ",".join(GEMMA_CONTROL)], check=True)
        shutil.copyfile(os.path.join(tmp, "tokenizer.model"),
                        os.path.join(out_dir, "tokenizer.model"))
        with open(os.path.join(tmp, "expected.json"), encoding="utf-8") as f:
            pieces = json.load(f)["pieces"]
    special = {p: i for i, p in enumerate(pieces)
               if p in ("<pad>", "<eos>", "<bos>", "<unk>", "<mask>",
                        "<start_of_turn>", "<end_of_turn>")}
    config = {
        "add_bos_token": True, "add_eos_token": False,
        "added_tokens_decoder": {
            str(i): {"content": p, "lstrip": False, "normalized": False,
                     "rstrip": False, "single_word": False, "special": True}
            for p, i in sorted(special.items(), key=lambda kv: kv[1])},
        "additional_special_tokens": ["<start_of_turn>", "<end_of_turn>"],
        "bos_token": "<bos>", "chat_template": GEMMA_CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False, "eos_token": "<eos>",
        "model_max_length": 1000000000000000019884624838656,
        "pad_token": "<pad>", "sp_model_kwargs": {},
        "spaces_between_special_tokens": False,
        "tokenizer_class": "GemmaTokenizer", "unk_token": "<unk>",
        "use_default_system_prompt": False,
    }
    dump(os.path.join(out_dir, "tokenizer_config.json"), config)
    return TokenizerInfo(size=len(pieces), bos_id=special["<bos>"],
                         eos_id=special["<eos>"], pad_id=special["<pad>"],
                         stop_ids=[special["<eos>"], special["<end_of_turn>"]])


def copy_from(src_dir, out_dir):
    """Copies tokenizer.json and tokenizer_config.json from src_dir."""
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(src_dir, name), os.path.join(out_dir, name))
    with open(os.path.join(src_dir, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    with open(os.path.join(src_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        return info(tokenizer, json.load(f))


def info(tokenizer, config=None):
    """Size and special ids: the tokens tokenizer_config.json names, else
    Qwen's."""
    ids = list(tokenizer["model"]["vocab"].values())
    added = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    ids += added.values()

    def named(key, default):
        content = (config or {}).get(key)
        if isinstance(content, dict):
            content = content.get("content")
        return added.get(content, tokenizer["model"]["vocab"].get(content, default))

    end = added.get("<|endoftext|>")
    eos, pad = named("eos_token", added.get("<|im_end|>", end)), named("pad_token", end)
    return TokenizerInfo(size=max(ids) + 1, bos_id=named("bos_token", end),
                         eos_id=eos, pad_id=pad, stop_ids=[eos, pad])


def write_generation_config(out_dir, tok):
    """Like Qwen3-0.6B's: eos is a list (end of turn, end of text)."""
    dump(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": tok.bos_id, "do_sample": True,
        "eos_token_id": tok.stop_ids, "pad_token_id": tok.pad_id,
        "temperature": 0.6, "top_k": 20, "top_p": 0.95,
        "transformers_version": "4.51.0"})


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
