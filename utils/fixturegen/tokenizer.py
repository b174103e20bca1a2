"""Tokenizer files of a fixture: a tiny synthetic byte-level BPE tokenizer laid
out like Qwen's or Llama 3's tokenizer.json / tokenizer_config.json, a tiny
SentencePiece tokenizer.model laid out like Gemma's (trained by
utils/make-spm-model.py), or a copy of real ones, optionally with extra
special tokens appended."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple

# Ids the config and generation_config refer to; size = number of token ids;
# stop_ids = generation_config's eos_token_id list.
TokenizerInfo = namedtuple("TokenizerInfo",
                           "size bos_id eos_id pad_id image_id stop_ids")

# Qwen2/Qwen3 pre-tokenizer split regex (as in Qwen/Qwen3-0.6B tokenizer.json).
QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
               r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
# Llama 3's: the same but for digits in runs of up to three
# (as in meta-llama/Llama-3.2-1B tokenizer.json).
LLAMA3_SPLIT = QWEN2_SPLIT.replace(r"\p{N}|", r"\p{N}{1,3}|")
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False,
              "trim_offsets": False, "use_regex": False}
MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"),
          ("e", "r"), ("Ġ", "Ġ"), ("o", "n")]


class Style:
    """What distinguishes one family's tokenizer files: the split regex,
    the (content, special) tokens added after the BPE vocabulary, and
    tokenizer_config.json / tokenizer.json details."""

    def __init__(self, split, added, config, begin=None):
        self.split, self.added, self.config, self.begin = split, added, config, begin


QWEN2 = Style(
    QWEN2_SPLIT,
    [("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True),
     ("<think>", False), ("</think>", False)],
    {"add_bos_token": False, "add_prefix_space": False,
     "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
     "bos_token": None, "chat_template": (
         "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
         "{{ message['content'] }}<|im_end|>\n{% endfor %}"
         "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"),
     "clean_up_tokenization_spaces": False, "eos_token": "<|im_end|>",
     "errors": "replace", "model_max_length": 131072,
     "pad_token": "<|endoftext|>", "split_special_tokens": False,
     "tokenizer_class": "Qwen2Tokenizer", "unk_token": None})

LLAMA3_ADDED = [("<|begin_of_text|>", True), ("<|end_of_text|>", True),
                ("<|start_header_id|>", True), ("<|end_header_id|>", True),
                ("<|eot_id|>", True)]
LLAMA3_CONFIG = {
    "bos_token": "<|begin_of_text|>", "chat_template": (
        "{{- bos_token }}{% for message in messages %}<|start_header_id|>"
        "{{ message['role'] }}<|end_header_id|>\n\n{{ message['content'] | trim }}"
        "<|eot_id|>{% endfor %}{% if add_generation_prompt %}"
        "<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"),
    "clean_up_tokenization_spaces": True, "eos_token": "<|eot_id|>",
    "model_input_names": ["input_ids", "attention_mask"],
    "model_max_length": 131072, "tokenizer_class": "PreTrainedTokenizerFast"}
# Llama 3 adds <|begin_of_text|> through its post-processor.
LLAMA3 = Style(LLAMA3_SPLIT, LLAMA3_ADDED, LLAMA3_CONFIG, begin="<|begin_of_text|>")
# Llama 3.2 Vision: the same plus <|image|> after the text tokens.
LLAMA3_VISION = Style(LLAMA3_SPLIT, LLAMA3_ADDED + [("<|image|>", True)],
                      LLAMA3_CONFIG, begin="<|begin_of_text|>")
STYLES = {"qwen2": QWEN2, "llama3": LLAMA3, "llama3-vision": LLAMA3_VISION}
# What --tokenizer accepts besides a directory: the BPE styles and "spm".
STYLE_NAMES = sorted(STYLES) + ["spm"]

# Special tokens by role when tokenizer_config.json does not name them,
# first match wins (Qwen: <|endoftext|> is bos and
# pad, <|im_end|> eos; Llama 3: <|begin_of_text|>, <|eot_id|>, <|end_of_text|>).
BOS_NAMES = ("<|begin_of_text|>", "<|endoftext|>")
EOS_NAMES = ("<|eot_id|>", "<|im_end|>", "<|endoftext|>")
PAD_NAMES = ("<|end_of_text|>", "<|endoftext|>")


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


def added_entry(token_id, content, special):
    return {"id": token_id, "content": content, "single_word": False,
            "lstrip": False, "rstrip": False, "normalized": False,
            "special": special}


def decoder_entry(entry):
    """tokenizer_config.json's added_tokens_decoder form of an added token."""
    return {k: entry[k] for k in ("content", "lstrip", "normalized", "rstrip",
                                  "single_word", "special")}


def write_synthetic(out_dir, style_name):
    style = STYLES[style_name]
    vocab = {s: i for i, s in enumerate(byte_level_alphabet())}
    for a, b in MERGES:
        vocab[a + b] = len(vocab)
    added = [added_entry(len(vocab) + i, content, special)
             for i, (content, special) in enumerate(style.added)]
    post = BYTE_LEVEL
    if style.begin:
        begin = {"id": style.begin, "type_id": 0}
        post = {"type": "Sequence", "processors": [BYTE_LEVEL, {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": begin}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": begin}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": dict(begin, type_id=1)},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {style.begin: {
                "id": style.begin, "ids": [vocab_id(added, style.begin)],
                "tokens": [style.begin]}}}]}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": added,
        "normalizer": None if style.begin else {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": style.split},
             "behavior": "Isolated", "invert": False}, BYTE_LEVEL]},
        "post_processor": post, "decoder": BYTE_LEVEL,
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "",
                  "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": False, "vocab": vocab,
                  "merges": [list(m) for m in MERGES]},
    }
    config = dict(style.config, added_tokens_decoder={
        str(t["id"]): decoder_entry(t) for t in added})
    dump(os.path.join(out_dir, "tokenizer.json"), tokenizer)
    dump(os.path.join(out_dir, "tokenizer_config.json"), config)
    return info(tokenizer, config)


def vocab_id(added, content):
    return next(t["id"] for t in added if t["content"] == content)


def write_style(out_dir, style_name):
    """A synthetic tokenizer of one of STYLE_NAMES."""
    if style_name == "spm":
        return write_spm(out_dir)
    return write_synthetic(out_dir, style_name)


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
                         image_id=None, stop_ids=[special["<eos>"], special["<end_of_turn>"]])


def copy_from(src_dir, out_dir):
    """Copies tokenizer.json and tokenizer_config.json from src_dir."""
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(src_dir, name), os.path.join(out_dir, name))
    return info(load(os.path.join(src_dir, "tokenizer.json")),
                load(os.path.join(src_dir, "tokenizer_config.json")))


def append_special_tokens(out_dir, contents):
    """Adds special tokens after the last id to both files (as the Llama 3.2
    Vision tokenizer has <|image|> after the text model's tokens)."""
    paths = [os.path.join(out_dir, n) for n in ("tokenizer.json", "tokenizer_config.json")]
    tokenizer, config = (load(p) for p in paths)
    for content in contents:
        entry = added_entry(info(tokenizer).size, content, True)
        tokenizer["added_tokens"].append(entry)
        config.setdefault("added_tokens_decoder", {})[str(entry["id"])] = decoder_entry(entry)
    dump(paths[0], tokenizer)
    dump(paths[1], config)
    return info(tokenizer, config)


def info(tokenizer, config=None):
    """Size and special ids: the tokens tokenizer_config.json names, else
    the first of the role's usual names (BOS_NAMES...) the tokenizer has."""
    vocab = tokenizer["model"]["vocab"]
    added = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    ids = list(vocab.values()) + list(added.values())

    def role(key, names):
        content = (config or {}).get(key)
        if isinstance(content, dict):
            content = content.get("content")
        named = added.get(content, vocab.get(content))
        if named is not None:
            return named
        return next((added[n] for n in names if n in added), None)
    eos, pad = role("eos_token", EOS_NAMES), role("pad_token", PAD_NAMES)
    return TokenizerInfo(size=max(ids) + 1, bos_id=role("bos_token", BOS_NAMES),
                         eos_id=eos, pad_id=pad, image_id=added.get("<|image|>"),
                         stop_ids=[eos, pad])


def write_generation_config(out_dir, tok):
    """Like Qwen3-0.6B's: eos is a list (end of turn, end of text)."""
    dump(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": tok.bos_id, "do_sample": True,
        "eos_token_id": tok.stop_ids, "pad_token_id": tok.pad_id,
        "temperature": 0.6, "top_k": 20, "top_p": 0.95,
        "transformers_version": "4.51.0"})


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
