#!/usr/bin/python3
"""Checks a GGUF ggufc wrote for a Qwen3 checkpoint against the checkpoint,
with an independent reader and the naming of formats.md §2.1.1:
every source tensor (but a tied lm_head) appears once under its GGUF name
with the same values; matrices keep a bf16/f16 source type (f32 ones become
f16, -outtype=auto), 1-D tensors are f32. Prints one summary line.

usage: check-qwen3-gguf.py CHECKPOINT_DIR FILE.gguf"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.environ["GGUFC_UTILS"])
import ggufpy  # noqa: E402
import safetensorspy  # noqa: E402

LAYER = {
    "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}
GLOBAL = {"model.embed_tokens": "token_embd", "model.norm": "output_norm",
          "lm_head": "output"}


def gguf_name(hf):
    stem, suffix = hf.rsplit(".", 1)
    m = re.fullmatch(r"model\.layers\.(\d+)\.(.+)", stem)
    if m:
        return "blk.%s.%s.%s" % (m.group(1), LAYER[m.group(2)], suffix)
    return GLOBAL[stem] + "." + suffix


def stored_dtypes(path):
    """{name: SafeTensors dtype} from a file's header."""
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    return {k: v["dtype"] for k, v in header.items() if k != "__metadata__"}


def main(ckpt, path):
    with open(os.path.join(ckpt, "config.json")) as f:
        config = json.load(f)
    source, dtypes = {}, {}
    for f in sorted(os.listdir(ckpt)):
        if f.endswith(".safetensors"):
            source.update(safetensorspy.read(os.path.join(ckpt, f)))
            dtypes.update(stored_dtypes(os.path.join(ckpt, f)))
    if config.get("tie_word_embeddings"):
        source.pop("lm_head.weight", None)
    gguf = ggufpy.read(path)
    names = [t.name for t in gguf.tensors]
    assert len(names) == len(set(names)), "duplicate GGUF names"
    expected = {gguf_name(n): n for n in source}
    assert sorted(expected) == sorted(names), (sorted(expected), sorted(names))
    for t in gguf.tensors:
        hf = expected[t.name]
        want = source[hf]
        if want.ndim <= 1:
            want_type = "F32"
        else:
            want_type = {"BF16": "BF16", "F16": "F16", "F32": "F16"}[dtypes[hf]]
            if want_type == "F16":
                want = want.astype(np.float16).astype(np.float32)
        got_type = t.type_name
        assert got_type == want_type, (t.name, got_type, want_type)
        got = gguf.tensor(t.name)
        assert got.shape == want.shape, (t.name, got.shape, want.shape)
        assert np.array_equal(got, want), t.name
    print("ok: %d tensors match the checkpoint" % len(names))


if __name__ == "__main__":
    main(*sys.argv[1:])
