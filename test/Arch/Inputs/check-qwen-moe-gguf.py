#!/usr/bin/python3
"""Checks the GGUF ggufc wrote for a Qwen3-MoE or Qwen3-Next checkpoint
against the checkpoint, with the independent readers (utils/ggufpy.py,
utils/safetensorspy.py) and NumPy, following formats.md §2.2 / §2.3 and
llama.cpp's loaders:

- every expected GGUF tensor exists, no other, with the expected type;
- experts: stacked per expert [E, I, H] / [E, H, I], from either checkpoint
  layout (one tensor per expert, or gate_up_proj / down_proj in either
  orientation, told apart by moe_intermediate_size);
- Qwen3-Next: +1 on every RMSNorm weight but linear_attn.norm, -exp(A_log),
  conv1d and shared_expert_gate squeezed, in_proj_qkvz regrouped per key
  head (q of all heads, k of all, v of all; z apart), MTP layers as blocks
  L.. with their nextn tensors.

Prints one summary line. usage: check-qwen-moe-gguf.py CHECKPOINT FILE.gguf"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.environ["GGUFC_UTILS"])
import ggufpy  # noqa: E402
import safetensorspy  # noqa: E402

ATTENTION = {
    "input_layernorm": "attn_norm",
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm",
    "mlp.gate": "ffn_gate_inp",
    "mlp.shared_expert.gate_proj": "ffn_gate_shexp",
    "mlp.shared_expert.up_proj": "ffn_up_shexp",
    "mlp.shared_expert.down_proj": "ffn_down_shexp",
}
LINEAR_ATTENTION = {
    "linear_attn.in_proj_ba.weight": "ssm_ba.weight",
    "linear_attn.out_proj.weight": "ssm_out.weight",
    "linear_attn.norm.weight": "ssm_norm.weight",
    "linear_attn.dt_bias": "ssm_dt.bias",
}
MTP_SHARED = {"fc": "eh_proj", "pre_fc_norm_embedding": "enorm",
              "pre_fc_norm_hidden": "hnorm", "norm": "shared_head_norm"}
F32_NAMES = re.compile(r".*\.(ffn_gate_inp|ffn_gate_inp_shexp|ssm_conv1d)\.weight")


def experts(src, prefix, inter):
    """gate, up, down stacked [E, I, H], [E, I, H], [E, H, I]."""
    if prefix + "experts.0.gate_proj.weight" in src:
        count = len([n for n in src if re.fullmatch(re.escape(prefix) + r"experts\.\d+\.gate_proj\.weight", n)])
        return [np.stack([src[prefix + "experts.%d.%s_proj.weight" % (e, m)] for e in range(count)])
                for m in ("gate", "up", "down")]
    gate_up, down = src[prefix + "experts.gate_up_proj"], src[prefix + "experts.down_proj"]
    if gate_up.shape[1] != 2 * inter:  # [E, H, 2I]: x @ W orientation
        gate_up, down = gate_up.transpose(0, 2, 1), down.transpose(0, 2, 1)
    return [gate_up[:, :inter], gate_up[:, inter:], down]


def split_qkvz(w, c):
    """in_proj_qkvz [nk * (2hk + 2r hv), H] -> (attn_qkv, attn_gate), written
    as llama.cpp's converter does it: transpose, view per key head, split,
    flatten, concatenate, transpose back."""
    nk, nv = c["linear_num_key_heads"], c["linear_num_value_heads"]
    hk, hv = c["linear_key_head_dim"], c["linear_value_head_dim"]
    r = nv // nk
    t = w.T.reshape(w.shape[1], nk, 2 * hk + 2 * r * hv)
    q, k = t[..., :hk], t[..., hk:2 * hk]
    v, z = t[..., 2 * hk:2 * hk + r * hv], t[..., 2 * hk + r * hv:]
    flat = [x.reshape(w.shape[1], -1) for x in (q, k, v, z)]
    return np.concatenate(flat[:3], axis=1).T, flat[3].T


def block(src, c, hf_prefix, b, next_arch):
    """Expected GGUF tensors of one block (HF prefix hf_prefix, GGUF block b)."""
    out = {}
    p = "blk.%d." % b
    for stem, gguf in ATTENTION.items():
        name = hf_prefix + stem + ".weight"
        if name in src:
            out[p + gguf + ".weight"] = src[name]
    post = hf_prefix + "post_attention_layernorm.weight"
    out[p + ("post_attention_norm" if next_arch else "ffn_norm") + ".weight"] = src[post]
    gate, up, down = experts(src, hf_prefix + "mlp.", c["moe_intermediate_size"])
    out[p + "ffn_gate_exps.weight"], out[p + "ffn_up_exps.weight"] = gate, up
    out[p + "ffn_down_exps.weight"] = down
    if not next_arch:
        return out
    for name in list(out):
        if name.endswith("_norm.weight"):
            out[name] = out[name] + np.float32(1)
    out[p + "ffn_gate_inp_shexp.weight"] = src[hf_prefix + "mlp.shared_expert_gate.weight"][0]
    a = hf_prefix + "linear_attn."
    if a + "in_proj_qkvz.weight" in src:
        for stem, gguf in LINEAR_ATTENTION.items():
            out[p + gguf] = src[hf_prefix + stem]
        out[p + "attn_qkv.weight"], out[p + "attn_gate.weight"] = split_qkvz(src[a + "in_proj_qkvz.weight"], c)
        out[p + "ssm_conv1d.weight"] = src[a + "conv1d.weight"][:, 0, :]
        out[p + "ssm_a"] = (-np.exp(src[a + "A_log"].astype(np.float64))).astype(np.float32)
    return out


def expected(src, c, arch):
    next_arch = arch == "qwen3next"
    out = {"token_embd.weight": src["model.embed_tokens.weight"],
           "output_norm.weight": src["model.norm.weight"] + np.float32(1 if next_arch else 0)}
    if "lm_head.weight" in src and not c.get("tie_word_embeddings"):
        out["output.weight"] = src["lm_head.weight"]
    layers = c["num_hidden_layers"]
    for i in range(layers):
        out.update(block(src, c, "model.layers.%d." % i, i, next_arch))
    mtp = 1 + max([int(m.group(1)) for m in (re.match(r"mtp\.layers\.(\d+)\.", n) for n in src) if m],
                  default=-1)
    for j in range(mtp):
        b = layers + j
        out.update(block(src, c, "mtp.layers.%d." % j, b, next_arch))
        for stem, gguf in MTP_SHARED.items():
            value = src["mtp.%s.weight" % stem]
            out["blk.%d.nextn.%s.weight" % (b, gguf)] = value + np.float32(gguf != "eh_proj")
    return out


def source_dtype(path):
    """The SafeTensors dtype of a fixture file's tensors (all alike)."""
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    return {v["dtype"] for k, v in header.items() if k != "__metadata__"}.pop()


def main(ckpt, path):
    with open(os.path.join(ckpt, "config.json")) as f:
        config = json.load(f)
    src = {}
    for f in sorted(os.listdir(ckpt)):
        if f.endswith(".safetensors"):
            src.update(safetensorspy.read(os.path.join(ckpt, f)))
            # -outtype=auto: bf16 matrices stay bf16, others become f16.
            matrix_type = "BF16" if source_dtype(os.path.join(ckpt, f)) == "BF16" else "F16"
    gguf = ggufpy.read(path)
    arch = gguf.metadata["general.architecture"]
    want = expected(src, config, arch)
    names = [t.name for t in gguf.tensors]
    assert sorted(names) == sorted(want), (sorted(set(names) - set(want)), sorted(set(want) - set(names)))
    for t in gguf.tensors:
        value = want[t.name]
        want_type = "F32" if value.ndim <= 1 or F32_NAMES.fullmatch(t.name) else matrix_type
        assert t.type_name == want_type, (t.name, t.type_name, want_type)
        if want_type == "F16":
            value = value.astype(np.float16).astype(np.float32)
        got = gguf.tensor(t.name)
        assert got.shape == value.shape, (t.name, got.shape, value.shape)
        # Exact for ssm_a too: ggufc and expected() both round -exp(x) in
        # double to f32 once.
        assert np.array_equal(got, value), t.name
    print("ok: %d %s tensors match the checkpoint" % (len(names), arch))


if __name__ == "__main__":
    main(*sys.argv[1:])
