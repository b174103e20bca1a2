"""Tokenizer files of a fixture: a tiny synthetic byte-level BPE tokenizer laid
out like Qwen's tokenizer.json / tokenizer_config.json, or a copy of real ones."""

import json
import os
import shutil
from collections import namedtuple

# Ids the config and generation_config refer to; size = number of token ids.
TokenizerInfo = namedtuple("TokenizerInfo", "size bos_id eos_id pad_id")

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


def copy_from(src_dir, out_dir):
    """Copies tokenizer.json and tokenizer_config.json from src_dir."""
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(src_dir, name), os.path.join(out_dir, name))
    with open(os.path.join(src_dir, "tokenizer.json"), encoding="utf-8") as f:
        return info(json.load(f))


def info(tokenizer):
    ids = list(tokenizer["model"]["vocab"].values())
    added = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    ids += added.values()
    end = added.get("<|endoftext|>")
    return TokenizerInfo(size=max(ids) + 1, bos_id=end,
                         eos_id=added.get("<|im_end|>", end), pad_id=end)


def write_generation_config(out_dir, tok):
    """Like Qwen3-0.6B's: eos is a list (end of turn, end of text)."""
    dump(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": tok.bos_id, "do_sample": True,
        "eos_token_id": [tok.eos_id, tok.pad_id], "pad_token_id": tok.pad_id,
        "temperature": 0.6, "top_k": 20, "top_p": 0.95,
        "transformers_version": "4.51.0"})


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
