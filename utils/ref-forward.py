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
Architectures: qwen3, qwen3moe, qwen3next (Qwen3ForCausalLM,
Qwen3MoeForCausalLM, Qwen3NextForCausalLM; the MTP layers are not run),
gemma (GemmaForCausalLM), gemma3n (Gemma3nForConditionalGeneration, its
language model).
"""
import argparse
import json
import os
import re
import statistics
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


# --- shared pieces ------------------------------------------------------------

def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def linear(weight, name, x):
    """x @ W^T (+ bias when the checkpoint has one), as torch.nn.Linear."""
    y = x @ weight(name + ".weight").T
    return y + weight(name + ".bias") if weight.has(name + ".bias") else y


def silu(x):
    return x / (1 + np.exp(-x))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rope_neox(x, positions, theta, rotary_dim=None):
    """Rotates the two halves of the first rotary_dim (default: all)
    dimensions of each head (x: tokens, heads, head_dim); the rest pass."""
    rotary_dim = rotary_dim or x.shape[-1]
    rot, rest = x[..., :rotary_dim], x[..., rotary_dim:]
    half = rotary_dim // 2
    inv_freq = theta ** (-np.arange(half, dtype=np.float64) * 2 / rotary_dim)
    angles = positions[:, None] * inv_freq[None, :]
    cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
    first, second = rot[..., :half], rot[..., half:]
    return np.concatenate([first * cos - second * sin, second * cos + first * sin, rest], axis=-1)


def gelu_tanh(x):
    """GELU, tanh approximation (gelu_pytorch_tanh; ggml_gelu)."""
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def head_shape(config):
    """(query heads, KV heads, head size) of an attention config."""
    heads = config["num_attention_heads"]
    return (heads, config.get("num_key_value_heads") or heads,
            config.get("head_dim") or config["hidden_size"] // heads)


def attention(q, k, v, scale):
    """Causal softmax attention of q (tokens, heads, d) over k, v (tokens,
    kv_heads, d); each KV head serves heads / kv_heads query heads. Returns
    (tokens, heads * d)."""
    n, heads, head_dim = q.shape
    group = heads // k.shape[1]
    k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
    causal = np.triu(np.full((n, n), -np.inf), k=1)
    scores = softmax(np.einsum("qhd,khd->hqk", q, k) * scale + causal)
    return np.einsum("hqk,khd->qhd", scores, v).reshape(n, heads * head_dim)


# --- Qwen3, Qwen3-MoE, Qwen3-Next -------------------------------------------

class Qwen:
    """The parts the Qwen3 family shares. offset_norms: Qwen3-Next's RMSNorm
    scales by (1 + w)."""

    def __init__(self, config, weight, tokens, offset_norms=False):
        self.c, self.w = config, weight
        self.n = len(tokens)
        self.eps = config["rms_norm_eps"]
        self.offset = 1.0 if offset_norms else 0.0
        params = config.get("rope_parameters") or {}
        self.theta = config.get("rope_theta", params.get("rope_theta", 10000.0))
        self.heads, self.kv_heads, self.head_dim = head_shape(config)
        self.positions = np.arange(self.n, dtype=np.float64)
        self.tokens = tokens

    def norm(self, x, name):
        return rms_norm(x, self.w(name) + self.offset, self.eps)

    def attention(self, p, h, gated=False, rotary_dim=None):
        """Grouped-query attention with per-head q/k norms and NEOX RoPE;
        gated: q_proj also yields a per-head output gate (Qwen3-Next)."""
        n, hd, w = self.n, self.head_dim, self.w
        q = linear(w, p + "self_attn.q_proj", h)
        if gated:
            q = q.reshape(n, self.heads, 2 * hd)
            q, gate = q[..., :hd], q[..., hd:].reshape(n, self.heads * hd)
        q = q.reshape(n, self.heads, hd)
        k = linear(w, p + "self_attn.k_proj", h).reshape(n, self.kv_heads, hd)
        v = linear(w, p + "self_attn.v_proj", h).reshape(n, self.kv_heads, hd)
        q = rope_neox(self.norm(q, p + "self_attn.q_norm.weight"), self.positions, self.theta, rotary_dim)
        k = rope_neox(self.norm(k, p + "self_attn.k_norm.weight"), self.positions, self.theta, rotary_dim)
        out = attention(q, k, v, hd ** -0.5)
        if gated:
            out = out * sigmoid(gate)
        return linear(w, p + "self_attn.o_proj", out)

    def mlp(self, p, h):
        return linear(self.w, p + "down_proj",
                      silu(linear(self.w, p + "gate_proj", h)) * linear(self.w, p + "up_proj", h))

    def expert(self, p, e):
        """(gate, up, down) of expert e as nn.Linear weights, from one tensor
        per expert or from fused gate_up_proj / down_proj in either
        orientation ([E, 2I, H] or [E, H, 2I])."""
        w, inter = self.w, self.c["moe_intermediate_size"]
        if w.has(p + "mlp.experts.0.gate_proj.weight"):
            return tuple(w(p + f"mlp.experts.{e}.{m}_proj.weight") for m in ("gate", "up", "down"))
        gate_up = w(p + "mlp.experts.gate_up_proj")[e]
        down = w(p + "mlp.experts.down_proj")[e]
        if gate_up.shape[0] != 2 * inter:
            gate_up, down = gate_up.T, down.T
        return gate_up[:inter], gate_up[inter:], down

    def moe(self, p, h):
        """Softmax router, top-k experts (weights renormalised when
        norm_topk_prob), plus Qwen3-Next's sigmoid-gated shared expert."""
        probs = softmax(h @ self.w(p + "mlp.gate.weight").T)
        k = self.c["num_experts_per_tok"]
        out = np.zeros_like(h)
        for t in range(self.n):
            top = np.argsort(-probs[t], kind="stable")[:k]
            share = probs[t, top]
            if self.c.get("norm_topk_prob", False):
                share = share / share.sum()
            for e, s in zip(top, share):
                gate, up, down = self.expert(p, e)
                out[t] += s * (silu(gate @ h[t]) * (up @ h[t])) @ down.T
        if self.w.has(p + "mlp.shared_expert_gate.weight"):
            out += sigmoid(h @ self.w(p + "mlp.shared_expert_gate.weight").T) * \
                self.mlp(p + "mlp.shared_expert.", h)
        return out

    def logits(self, x):
        last = self.norm(x[-1], "model.norm.weight")
        tied = self.c.get("tie_word_embeddings", False) or not self.w.has("lm_head.weight")
        return self.w("model.embed_tokens.weight" if tied else "lm_head.weight") @ last

    def embed(self):
        return self.w("model.embed_tokens.weight")[self.tokens]


def qwen3_logits(config, weight, tokens, moe=False):
    m = Qwen(config, weight, tokens)
    x = m.embed()
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        x = x + m.attention(p, m.norm(x, p + "input_layernorm.weight"))
        h = m.norm(x, p + "post_attention_layernorm.weight")
        x = x + (m.moe(p, h) if moe else m.mlp(p + "mlp.", h))
    return m.logits(x)


def qwen3moe_logits(config, weight, tokens):
    return qwen3_logits(config, weight, tokens, moe=True)


def gated_delta_net(m, p, h):
    """Qwen3-Next's linear attention, token by token (the recurrent form of
    transformers' torch_recurrent_gated_delta_rule)."""
    c, w, n = m.c, m.w, m.n
    nk, nv = c["linear_num_key_heads"], c["linear_num_value_heads"]
    hk, hv, kernel = c["linear_key_head_dim"], c["linear_value_head_dim"], c["linear_conv_kernel_dim"]
    r = nv // nk
    a = p + "linear_attn."
    # Per key head: q, k, then its r value heads' v and z (and b, a).
    qkvz = linear(w, a + "in_proj_qkvz", h).reshape(n, nk, 2 * hk + 2 * r * hv)
    q, k = qkvz[..., :hk], qkvz[..., hk:2 * hk]
    v = qkvz[..., 2 * hk:2 * hk + r * hv].reshape(n, nv, hv)
    z = qkvz[..., 2 * hk + r * hv:].reshape(n, nv, hv)
    ba = linear(w, a + "in_proj_ba", h).reshape(n, nk, 2 * r)
    b, alpha = ba[..., :r].reshape(n, nv), ba[..., r:].reshape(n, nv)
    # Causal depthwise convolution over q, k, v (all q, all k, all v), SiLU.
    mixed = np.concatenate([q.reshape(n, -1), k.reshape(n, -1), v.reshape(n, -1)], axis=-1)
    conv = w(a + "conv1d.weight")[:, 0, :]  # [channels, kernel]
    padded = np.concatenate([np.zeros((kernel - 1, mixed.shape[1])), mixed])
    mixed = silu(np.stack([(padded[t:t + kernel] * conv.T).sum(axis=0) for t in range(n)]))
    q = mixed[:, :nk * hk].reshape(n, nk, hk)
    k = mixed[:, nk * hk:2 * nk * hk].reshape(n, nk, hk)
    v = mixed[:, 2 * nk * hk:].reshape(n, nv, hv)
    beta = sigmoid(b)
    softplus = np.log1p(np.exp(alpha + w(a + "dt_bias")))
    g = -np.exp(w(a + "A_log")) * softplus
    q, k = np.repeat(q, r, axis=1), np.repeat(k, r, axis=1)

    def l2norm(x):
        return x / np.sqrt((x * x).sum(axis=-1, keepdims=True) + 1e-6)

    q, k = l2norm(q) / np.sqrt(hk), l2norm(k)
    state = np.zeros((nv, hk, hv))
    out = np.zeros((n, nv, hv))
    for t in range(n):
        state = state * np.exp(g[t])[:, None, None]
        delta = (v[t] - np.einsum("hkv,hk->hv", state, k[t])) * beta[t][:, None]
        state = state + k[t][:, :, None] * delta[:, None, :]
        out[t] = np.einsum("hkv,hk->hv", state, q[t])
    out = rms_norm(out, w(a + "norm.weight"), m.eps) * silu(z)
    return linear(w, a + "out_proj", out.reshape(n, nv * hv))


def qwen3next_logits(config, weight, tokens):
    m = Qwen(config, weight, tokens, offset_norms=True)
    layers = config["num_hidden_layers"]
    types = config.get("layer_types") or [
        "full_attention" if (i + 1) % config.get("full_attention_interval", 4) == 0
        else "linear_attention" for i in range(layers)]
    params = config.get("rope_parameters") or {}
    factor = config.get("partial_rotary_factor", params.get("partial_rotary_factor", 0.25))
    rotary_dim = int(m.head_dim * factor)
    x = m.embed()
    for layer in range(layers):
        p = f"model.layers.{layer}."
        h = m.norm(x, p + "input_layernorm.weight")
        if types[layer] == "linear_attention":
            x = x + gated_delta_net(m, p, h)
        else:
            x = x + m.attention(p, h, gated=True, rotary_dim=rotary_dim)
        x = x + m.moe(p, m.norm(x, p + "post_attention_layernorm.weight"))
    return m.logits(x)


# --- Gemma (v1) ---------------------------------------------------------------

def gemma_logits(config, weight, tokens):
    """GemmaForCausalLM: embeddings scaled by sqrt(hidden), RMSNorm by
    (1 + w), GELU-gated MLP, output tied to the embeddings."""
    heads, kv_heads, head_dim = head_shape(config)
    eps = config["rms_norm_eps"]
    theta = config.get("rope_theta", 10000.0)
    n = len(tokens)
    positions = np.arange(n, dtype=np.float64)

    def norm(x, name):
        return rms_norm(x, 1 + weight(name), eps)

    embed = weight("model.embed_tokens.weight")
    x = embed[tokens] * np.sqrt(config["hidden_size"])
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = norm(x, p + "input_layernorm.weight")
        q = linear(weight, p + "self_attn.q_proj", h).reshape(n, heads, head_dim)
        k = linear(weight, p + "self_attn.k_proj", h).reshape(n, kv_heads, head_dim)
        v = linear(weight, p + "self_attn.v_proj", h).reshape(n, kv_heads, head_dim)
        q, k = rope_neox(q, positions, theta), rope_neox(k, positions, theta)
        x = x + linear(weight, p + "self_attn.o_proj", attention(q, k, v, head_dim ** -0.5))
        h = norm(x, p + "post_attention_layernorm.weight")
        gate = gelu_tanh(linear(weight, p + "mlp.gate_proj", h))
        x = x + linear(weight, p + "mlp.down_proj", gate * linear(weight, p + "mlp.up_proj", h))
    return embed @ norm(x[-1], "model.norm.weight")


# --- Gemma 3n (text) ------------------------------------------------------------

def gemma3n_logits(config, weight, tokens):
    """Gemma3nForConditionalGeneration's language model (transformers'
    modeling_gemma3n): per-layer inputs, AltUp predict/correct around each
    layer, LAuReL, Gaussian top-k activation sparsity, final soft-capping.
    RMSNorm scales by w itself; KV sharing is not modelled (the tests use
    num_kv_shared_layers = 0)."""
    c = config["text_config"]
    heads, kv_heads, head_dim = head_shape(c)
    eps, hidden, layers = c["rms_norm_eps"], c["hidden_size"], c["num_hidden_layers"]
    per_layer, altups, active = (c["hidden_size_per_layer_input"], c["altup_num_inputs"],
                                 c["altup_active_idx"])
    n = len(tokens)
    positions = np.arange(n, dtype=np.float64)
    lm = "model.language_model."

    def w(name):
        return weight(lm + name)

    def lin(name, x):
        return linear(weight, lm + name, x)

    def magnitude(x):
        return np.sqrt(np.maximum(np.mean(x * x, axis=-1, keepdims=True), 1e-5))

    embed = w("embed_tokens.weight")
    x0 = embed[tokens] * np.sqrt(hidden)
    per_layer_in = (w("embed_tokens_per_layer.weight")[tokens] * np.sqrt(per_layer)
                    ).reshape(n, layers, per_layer)
    projected = (lin("per_layer_model_projection", x0) / np.sqrt(hidden)).reshape(n, layers, per_layer)
    projected = rms_norm(projected, w("per_layer_projection_norm.weight"), eps)
    per_layer_in = (projected + per_layer_in) / np.sqrt(2)

    streams = [x0] + [lin(f"altup_projections.{i}", x0) for i in range(altups - 1)]
    hs = np.stack([streams[0]] + [s * magnitude(x0) / magnitude(s) for s in streams[1:]])

    for layer in range(layers):
        p = f"layers.{layer}."

        def modalities(x):
            routed = rms_norm(x, w(p + "altup.router_norm.weight"), eps) / hidden
            return np.tanh(lin(p + "altup.modality_router", routed))  # (n, altups)

        # AltUp predict: stream j += sum_i coef[j, i] * stream i.
        coefs = lin(p + "altup.prediction_coefs", modalities(hs[active])).reshape(n, altups, altups)
        predictions = hs + np.einsum("tji,ith->jth", coefs, hs)
        current = predictions[active]
        normed = rms_norm(current, w(p + "input_layernorm.weight"), eps)
        laurel = normed + rms_norm(lin(p + "laurel.linear_right", lin(p + "laurel.linear_left", normed)),
                                   w(p + "laurel.post_laurel_norm.weight"), eps)

        sliding = c["layer_types"][layer] == "sliding_attention"
        theta = c["rope_local_base_freq"] if sliding else c["rope_theta"]
        q = lin(p + "self_attn.q_proj", normed).reshape(n, heads, head_dim)
        k = lin(p + "self_attn.k_proj", normed).reshape(n, kv_heads, head_dim)
        v = lin(p + "self_attn.v_proj", normed).reshape(n, kv_heads, head_dim)
        q = rope_neox(rms_norm(q, w(p + "self_attn.q_norm.weight"), eps), positions, theta)
        k = rope_neox(rms_norm(k, w(p + "self_attn.k_norm.weight"), eps), positions, theta)
        v = rms_norm(v, 1.0, eps)
        attn = lin(p + "self_attn.o_proj", attention(q, k, v, 1.0))
        attn = rms_norm(attn, w(p + "post_attention_layernorm.weight"), eps)
        attn_laurel = (current + attn + laurel) / np.sqrt(2)

        h = rms_norm(attn_laurel, w(p + "pre_feedforward_layernorm.weight"), eps)
        gate = lin(p + "mlp.gate_proj", h)
        sparsity = c["activation_sparsity_pattern"][layer]
        if sparsity > 0:
            cutoff = gate.mean(-1, keepdims=True) + gate.std(-1, keepdims=True) * \
                statistics.NormalDist().inv_cdf(sparsity)
            gate = np.maximum(gate - cutoff, 0)
        ffw = lin(p + "mlp.down_proj", gelu_tanh(gate) * lin(p + "mlp.up_proj", h))
        activated = attn_laurel + rms_norm(ffw, w(p + "post_feedforward_layernorm.weight"), eps)

        # AltUp correct: every stream moves by (1 + coef) times the innovation;
        # the model clamps these coefficients when it runs (the prediction
        # ones only while training).
        clip = c.get("altup_coef_clip")
        correction = w(p + "altup.correction_coefs.weight")
        if clip is not None:
            correction = np.clip(correction, -clip, clip)
        coefs = modalities(activated) @ correction.T + 1  # (n, altups)
        corrected = predictions + coefs.T[:, :, None] * (activated - current)[None]
        first = corrected[active]
        if c["altup_correct_scale"]:
            first = first * w(p + "altup.correct_output_scale")
        first = gelu_tanh(lin(p + "per_layer_input_gate", first)) * per_layer_in[:, layer]
        first = rms_norm(lin(p + "per_layer_projection", first),
                         w(p + "post_per_layer_input_norm.weight"), eps)
        corrected[1:] += first
        hs = corrected

    target = magnitude(hs[0])
    merged = [hs[0]] + [u * target / magnitude(u) for u in
                        (lin(f"altup_unembed_projections.{i}", hs[i + 1]) for i in range(altups - 1))]
    last = rms_norm(np.mean(merged, axis=0)[-1], w("norm.weight"), eps)
    logits = embed @ last
    cap = c.get("final_logit_softcapping")
    return np.tanh(logits / cap) * cap if cap else logits


ARCHITECTURES = {"Qwen3ForCausalLM": qwen3_logits,
                 "Qwen3MoeForCausalLM": qwen3moe_logits,
                 "Qwen3NextForCausalLM": qwen3next_logits,
                 "GemmaForCausalLM": gemma_logits,
                 "Gemma3nForConditionalGeneration": gemma3n_logits}


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
