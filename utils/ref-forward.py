#!/usr/bin/python3
"""Checks llama.cpp's next-token logits against an independent NumPy forward
pass of the HuggingFace checkpoint the GGUF was converted from.

llama-check --prompt prints the prompt's token ids and the top next tokens
with their logits. This script reads that output, runs the same ids through
the source checkpoint (config.json + SafeTensors, float64, written from the
architecture's definition, sharing nothing with ggufc) and compares every
printed logit:

  top 1: 1879 llama 1.048 reference 1.047 ok
  ...
  logits: 5 of 5 within tolerance

and that llama.cpp's first choice is the reference's best (up to tolerance).
Exit status 1 on any difference. A logit agrees when
|llama - reference| <= atol + rtol * |reference|; llama.cpp may compute with
bf16/f16 activations, hence the default tolerance.

usage: ref-forward.py CHECKPOINT_DIR LLAMA_CHECK_OUTPUT [--atol A] [--rtol R]
Architectures: qwen3 (Qwen3ForCausalLM).
"""
import argparse
import json
import os
import re
import struct
import sys

import numpy as np


def fail(message):
    sys.stderr.write(f"ref-forward: error: {message}\n")
    sys.exit(1)


# --- SafeTensors ------------------------------------------------------------

def to_float64(raw, dtype, shape):
    if dtype == "BF16":
        bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return bits.view(np.float32).astype(np.float64).reshape(shape)
    numpy_types = {"F16": "<f2", "F32": "<f4", "F64": "<f8"}
    if dtype not in numpy_types:
        fail(f"unsupported SafeTensors dtype {dtype}")
    return np.frombuffer(raw, dtype=numpy_types[dtype]).astype(np.float64).reshape(shape)


def load_tensors(checkpoint):
    tensors = {}
    for name in sorted(os.listdir(checkpoint)):
        if not name.endswith(".safetensors"):
            continue
        path = os.path.join(checkpoint, name)
        data = np.memmap(path, dtype=np.uint8, mode="r")
        (header_size,) = struct.unpack("<Q", data[:8].tobytes())
        header = json.loads(data[8:8 + header_size].tobytes())
        base = 8 + header_size
        for key, info in header.items():
            if key == "__metadata__":
                continue
            begin, end = info["data_offsets"]
            tensors[key] = (data, base + begin, base + end, info["dtype"], info["shape"])
    if not tensors:
        fail(f"{checkpoint}: no SafeTensors files")

    def get(key):
        if key not in tensors:
            fail(f"{checkpoint}: no tensor {key}")
        data, begin, end, dtype, shape = tensors[key]
        return to_float64(data[begin:end].tobytes(), dtype, shape)

    get.has = lambda key: key in tensors
    return get


# --- Qwen3 ------------------------------------------------------------------

def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def linear(weight, name, x):
    """x @ W^T (+ bias when the checkpoint has one), as torch.nn.Linear."""
    y = x @ weight(name + ".weight").T
    return y + weight(name + ".bias") if weight.has(name + ".bias") else y


def rope_neox(x, positions, theta):
    """Rotates the two halves of each head (x: tokens, heads, head_dim)."""
    half = x.shape[-1] // 2
    inv_freq = theta ** (-np.arange(half, dtype=np.float64) * 2 / x.shape[-1])
    angles = positions[:, None] * inv_freq[None, :]
    cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
    first, second = x[..., :half], x[..., half:]
    return np.concatenate([first * cos - second * sin, second * cos + first * sin], axis=-1)


def qwen3_logits(config, weight, tokens):
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    eps = config["rms_norm_eps"]
    theta = config.get("rope_theta", 10000.0)
    n = len(tokens)
    positions = np.arange(n, dtype=np.float64)
    causal = np.triu(np.full((n, n), -np.inf), k=1)

    x = weight("model.embed_tokens.weight")[tokens]
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = rms_norm(x, weight(p + "input_layernorm.weight"), eps)
        q = linear(weight, p + "self_attn.q_proj", h).reshape(n, heads, head_dim)
        k = linear(weight, p + "self_attn.k_proj", h).reshape(n, kv_heads, head_dim)
        v = linear(weight, p + "self_attn.v_proj", h).reshape(n, kv_heads, head_dim)
        q = rope_neox(rms_norm(q, weight(p + "self_attn.q_norm.weight"), eps), positions, theta)
        k = rope_neox(rms_norm(k, weight(p + "self_attn.k_norm.weight"), eps), positions, theta)
        group = heads // kv_heads
        k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(head_dim) + causal
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        attention = np.einsum("hqk,khd->qhd", scores, v).reshape(n, heads * head_dim)
        x = x + linear(weight, p + "self_attn.o_proj", attention)
        h = rms_norm(x, weight(p + "post_attention_layernorm.weight"), eps)
        gate = linear(weight, p + "mlp.gate_proj", h)
        up = linear(weight, p + "mlp.up_proj", h)
        x = x + linear(weight, p + "mlp.down_proj", gate / (1 + np.exp(-gate)) * up)
    last = rms_norm(x[-1], weight("model.norm.weight"), eps)
    tied = config.get("tie_word_embeddings", False) or not weight.has("lm_head.weight")
    output = weight("model.embed_tokens.weight" if tied else "lm_head.weight")
    return output @ last


ARCHITECTURES = {"Qwen3ForCausalLM": qwen3_logits}


# --- comparison -------------------------------------------------------------

def read_llama_check(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        fail(f"{path}: {e}")
    prompt = re.search(r"^prompt:((?: \d+)*)$", text, re.M)
    top = [(int(i), float(l)) for i, l in re.findall(r"^top \d+: (\d+) (\S+)$", text, re.M)]
    if not prompt or not top:
        fail(f"{path}: no 'prompt:' and 'top N:' lines (run llama-check with --prompt)")
    return [int(t) for t in prompt.group(1).split()], top


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("llama_check_output")
    parser.add_argument("--atol", type=float, default=0.02)
    parser.add_argument("--rtol", type=float, default=0.02)
    args = parser.parse_args()

    try:
        with open(os.path.join(args.checkpoint, "config.json")) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{args.checkpoint}/config.json: {e}")
    architecture = (config.get("architectures") or ["?"])[0]
    if architecture not in ARCHITECTURES:
        fail(f"{args.checkpoint}: no reference forward pass for {architecture}")
    tokens, top = read_llama_check(args.llama_check_output)
    logits = ARCHITECTURES[architecture](config, load_tensors(args.checkpoint), tokens)

    def close(llama, reference):
        return abs(llama - reference) <= args.atol + args.rtol * abs(reference)

    agreeing = 0
    for rank, (token, llama) in enumerate(top, 1):
        ok = token < len(logits) and close(llama, logits[token])
        agreeing += ok
        reference = f"{logits[token]:.3f}" if token < len(logits) else "none"
        print(f"top {rank}: {token} llama {llama:.3f} reference {reference} {'ok' if ok else 'DIFFERENT'}")
    best = int(np.argmax(logits))
    first_ok = top[0][0] < len(logits) and close(logits[top[0][0]], logits[best])
    print(f"reference best: {best} {logits[best]:.3f}{'' if first_ok else ' DIFFERENT from llama.cpp'}")
    print(f"logits: {agreeing} of {len(top)} within tolerance")
    if agreeing != len(top) or not first_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
