#!/usr/bin/python3
"""Checks every tensor of a GGUF ggufc wrote for a Gemma or Gemma 3n
checkpoint against values computed here with NumPy from the checkpoint
(utils/safetensorspy.py) and read with utils/ggufpy.py; nothing is taken
from ggufc. What is expected (formats.md §2.4, §2.5):
  gemma:   names as llama.cpp's, lm_head not written, every *norm weight
           stored as F32 1 + w (w rounded from the source, sum in float32);
  gemma3n: towers dropped, names as llama.cpp's, AltUp projections
           stacked 0, 1, 2 along a new first axis (F32), AltUp coefficients
           clipped to +-altup_coef_clip (F32), per-layer and token
           embeddings padded with zero rows to one row per token, norms
           unchanged; activation_sparsity_scale = float32 of the double
           precision standard normal quantile of each probability.
Matrices keep their bf16/f16 source type (f32 becomes f16), 1-D tensors
are F32. Prints one summary line.

usage: check-gemma-gguf.py gemma|gemma3n CHECKPOINT_DIR FILE.gguf"""
import json
import os
import re
import statistics
import struct
import sys

import numpy as np

sys.path.insert(0, os.environ["GGUFC_UTILS"])
import ggufpy  # noqa: E402
import safetensorspy  # noqa: E402

GEMMA_LAYER = {
    "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}
GEMMA3N_LAYER = dict(GEMMA_LAYER, **{
    "post_attention_layernorm": "post_attention_norm",
    "pre_feedforward_layernorm": "ffn_norm",
    "post_feedforward_layernorm": "post_ffw_norm",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm",
    "per_layer_input_gate": "inp_gate", "per_layer_projection": "proj",
    "post_per_layer_input_norm": "post_norm",
    "altup.correct_output_scale": "altup_correct_scale",
    "altup.correction_coefs": "altup_correct_coef",
    "altup.prediction_coefs": "altup_predict_coef",
    "altup.modality_router": "altup_router", "altup.router_norm": "altup_router_norm",
    "laurel.linear_left": "laurel_l", "laurel.linear_right": "laurel_r",
    "laurel.post_laurel_norm": "laurel_post_norm",
})
GEMMA3N_GLOBAL = {
    "embed_tokens": "token_embd", "embed_tokens_per_layer": "per_layer_token_embd",
    "per_layer_model_projection": "per_layer_model_proj",
    "per_layer_projection_norm": "per_layer_proj_norm", "norm": "output_norm",
}
TOWERS = ("model.audio_tower.", "model.vision_tower.", "model.embed_audio.",
          "model.embed_vision.")


def load_checkpoint(ckpt):
    with open(os.path.join(ckpt, "config.json")) as f:
        config = json.load(f)
    source, dtypes = {}, {}
    for name in sorted(os.listdir(ckpt)):
        if name.endswith(".safetensors"):
            path = os.path.join(ckpt, name)
            source.update(safetensorspy.read(path))
            with open(path, "rb") as f:
                header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
            dtypes.update({k: v["dtype"] for k, v in header.items() if k != "__metadata__"})
    return config, source, dtypes


def matrix_type(dtype):
    return {"BF16": "BF16", "F16": "F16", "F32": "F16"}[dtype]


def stored(values, gguf_type):
    """values as the GGUF type holds them (bf16 sources are exact already)."""
    return values.astype(np.float16).astype(np.float32) if gguf_type == "F16" else values


def expect_gemma(config, source, dtypes):
    """{gguf name: (float32 values, GGUF type)}."""
    out = {}
    for hf, w in source.items():
        if hf == "lm_head.weight":
            continue  # tied: llama.cpp reuses token_embd
        m = re.fullmatch(r"model\.layers\.(\d+)\.(.+)\.weight", hf)
        name = ("blk.%s.%s.weight" % (m.group(1), GEMMA_LAYER[m.group(2)]) if m else
                {"model.embed_tokens.weight": "token_embd.weight",
                 "model.norm.weight": "output_norm.weight"}[hf])
        if name.endswith("_norm.weight"):
            out[name] = (np.float32(1) + w.astype(np.float32), "F32")
        else:
            t = "F32" if w.ndim <= 1 else matrix_type(dtypes[hf])
            out[name] = (stored(w, t), t)
    return out


def expect_gemma3n(config, source, dtypes):
    text = config["text_config"]
    out, stacks = {}, {"altup_proj": [], "altup_unembd_proj": []}
    rows = text["vocab_size"]  # the token list is sized to it
    clip = text.get("altup_coef_clip")
    for hf, w in source.items():
        if hf.startswith(TOWERS):
            continue
        rest = hf[len("model.language_model."):]
        m = re.fullmatch(r"layers\.(\d+)\.(.+?)(\.weight)?", rest)
        a = re.fullmatch(r"altup_(projections|unembed_projections)\.(\d+)\.weight", rest)
        if a:
            key = "altup_proj" if a.group(1) == "projections" else "altup_unembd_proj"
            stacks[key].append((int(a.group(2)), hf))
            continue
        if m:
            name = "blk.%s.%s.weight" % (m.group(1), GEMMA3N_LAYER[m.group(2)])
        else:
            name = GEMMA3N_GLOBAL[rest[:-len(".weight")]] + ".weight"
        if name in ("token_embd.weight", "per_layer_token_embd.weight") and w.shape[0] < rows:
            w = np.concatenate([w, np.zeros((rows - w.shape[0],) + w.shape[1:], np.float32)])
        if re.search(r"altup_(correct|predict)_coef", name):
            out[name] = (np.clip(w, -clip, clip) if clip else w, "F32")
        else:
            t = "F32" if w.ndim <= 1 or name.endswith("_norm.weight") else matrix_type(dtypes[hf])
            out[name] = (stored(w, t), t)
    for key, members in stacks.items():
        members.sort()
        assert [i for i, _ in members] == list(range(len(members))), members
        # F32: llama.cpp's CPU backend gets these 3-D products wrong in F16.
        out[key + ".weight"] = (np.stack([source[hf] for _, hf in members]), "F32")
    return out


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def check_sparsity(config, gguf):
    """The quantiles, computed with Python's statistics.NormalDist."""
    pattern = config["text_config"]["activation_sparsity_pattern"]
    got = gguf.metadata["gemma3n.activation_sparsity_scale"]
    assert gguf.types["gemma3n.activation_sparsity_scale"] == "[f32]"
    want = [float("-inf") if p == 0 else float(np.float32(statistics.NormalDist().inv_cdf(p)))
            for p in pattern]
    assert [f32_bits(x) for x in got] == [f32_bits(x) for x in want], (got, want)
    assert "gemma3n.activation_sparsity_pattern" not in gguf.metadata


def main(arch, ckpt, path):
    config, source, dtypes = load_checkpoint(ckpt)
    expected = (expect_gemma if arch == "gemma" else expect_gemma3n)(config, source, dtypes)
    gguf = ggufpy.read(path)
    names = [t.name for t in gguf.tensors]
    assert len(names) == len(set(names)), "duplicate GGUF names"
    assert sorted(names) == sorted(expected), (sorted(expected), sorted(names))
    for t in gguf.tensors:
        want, want_type = expected[t.name]
        assert t.type_name == want_type, (t.name, t.type_name, want_type)
        got = gguf.tensor(t.name)
        assert got.shape == want.shape, (t.name, got.shape, want.shape)
        assert np.array_equal(got, want), t.name
    if arch == "gemma3n":
        check_sparsity(config, gguf)
    print("ok: %d tensors match the checkpoint" % len(names))


if __name__ == "__main__":
    main(*sys.argv[1:])
