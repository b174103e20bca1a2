#!/usr/bin/python3
"""Compares the cross-attention scores of one Mllama layer computed the way
the checkpoint defines them (transformers' MllamaTextCrossAttention: project,
per-head RMSNorm, no RoPE) with the same computation on the tensors of a GGUF
(q/k projections and norms as stored, the way ollama's runtime applies them).
Inputs are random hidden states; float64 throughout. Prints whether the
scores are the same (up to rounding) or different.

usage: cross-attention-scores.py CHECKPOINT_DIR FILE.gguf LAYER"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.environ["GGUFC_UTILS"])
import ggufpy  # noqa: E402
import safetensorspy  # noqa: E402


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def scores(wq, wk, q_norm, k_norm, text, x, c):
    heads, kv_heads = text["num_attention_heads"], text["num_key_value_heads"]
    head_dim = text["hidden_size"] // heads
    eps = text["rms_norm_eps"]
    q = rms_norm((x @ wq.T).reshape(len(x), heads, head_dim), q_norm, eps)
    k = rms_norm((c @ wk.T).reshape(len(c), kv_heads, head_dim), k_norm, eps)
    k = np.repeat(k, heads // kv_heads, axis=1)
    return np.einsum("qhd,khd->hqk", q, k)


def main(ckpt, path, layer):
    with open(os.path.join(ckpt, "config.json")) as f:
        text = json.load(f)["text_config"]
    source = {}
    for f in sorted(os.listdir(ckpt)):
        if f.endswith(".safetensors"):
            source.update(safetensorspy.read(os.path.join(ckpt, f)))
    hf = "language_model.model.layers.%s.cross_attn." % layer
    ref = [source[hf + n + ".weight"].astype(np.float64)
           for n in ("q_proj", "k_proj", "q_norm", "k_norm")]
    gguf = ggufpy.read(path)
    ours = [gguf.tensor("blk.%s.cross_attn_%s.weight" % (layer, n)).astype(np.float64)
            for n in ("q_proj", "k_proj", "q_norm", "k_norm")]
    rng = np.random.RandomState(0)
    x = rng.standard_normal((3, text["hidden_size"]))
    c = rng.standard_normal((5, text["hidden_size"]))
    want, got = scores(*ref, text, x, c), scores(*ours, text, x, c)
    diff = np.abs(want - got).max() / np.abs(want).max()
    print("layer %s cross-attention scores: %s (max relative difference %.1e)"
          % (layer, "same" if diff < 1e-9 else "different", diff))


if __name__ == "__main__":
    main(*sys.argv[1:])
