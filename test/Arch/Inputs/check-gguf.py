#!/usr/bin/python3
"""Checks every tensor of a GGUF ggufc wrote for a Llama or Mllama checkpoint
against values computed here with NumPy from the source SafeTensors (read
with the independent utils/safetensorspy.py), following formats.md 2.6.1:
the GGUF names, shapes (source order), storage types and the transforms --
Q/K rows interleaved per head, tanh of the vision gates, 1 - tanh(g) and
tanh(g) for the shared position gate, rope_freqs.weight from the Llama 3
RoPE scaling. Both key layouts of Mllama are accepted. Prints one summary
line; any difference is an AssertionError naming the tensor.

usage: check-gguf.py CHECKPOINT_DIR FILE.gguf"""
import json
import math
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.environ["GGUFC_UTILS"])
import ggufpy  # noqa: E402
import safetensorspy  # noqa: E402

LLAMA_LAYER = {
    "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
    # Mllama's cross-attention layers
    "cross_attn.q_proj": "cross_attn_q_proj", "cross_attn.k_proj": "cross_attn_k_proj",
    "cross_attn.v_proj": "cross_attn_v_proj", "cross_attn.o_proj": "cross_attn_o_proj",
    "cross_attn.q_norm": "cross_attn_q_norm", "cross_attn.k_norm": "cross_attn_k_norm",
    "cross_attn_attn_gate": "cross_attn_attn_gate",
    "cross_attn_mlp_gate": "cross_attn_mlp_gate",
}
LLAMA_TOP = {"embed_tokens": "token_embd", "norm": "output_norm"}
VISION_TOP = {
    "patch_embedding": "v.patch_embd", "class_embedding": "v.class_embd",
    "gated_positional_embedding.embedding": "v.position_embd.weight",
    "gated_positional_embedding.gate": "v.position_embd.gate",
    "gated_positional_embedding.tile_embedding": "v.tile_position_embd",
    "pre_tile_positional_embedding.embedding": "v.pre_tile_position_embd",
    "pre_tile_positional_embedding.gate": "v.pre_tile_position_embd.gate",
    "post_tile_positional_embedding.embedding": "v.post_tile_position_embd",
    "post_tile_positional_embedding.gate": "v.post_tile_position_embd.gate",
    "layernorm_pre": "v.pre_ln", "layernorm_post": "v.post_ln",
}
VISION_LAYER = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
    "mlp.fc1": "ffn_up", "mlp.fc2": "ffn_down",
    "gate_attn": "attn_gate", "gate_ffn": "ffn_gate",
}
# transformers >= 4.52 layout -> the published one
NEW_LAYOUT = [("model.language_model.", "language_model.model."),
              ("lm_head.", "language_model.lm_head."),
              ("model.vision_model.", "vision_model."),
              ("model.multi_modal_projector.", "multi_modal_projector.")]


def split_suffix(name, table):
    """(table[stem], rest) for the stem of name that table knows."""
    for stem, target in table.items():
        if name == stem or name.startswith(stem + "."):
            return target + name[len(stem):]
    raise KeyError(name)


def decoder_name(rest):
    m = re.fullmatch(r"layers\.(\d+)\.(.+)", rest)
    if m:
        return "blk.%s.%s" % (m.group(1), split_suffix(m.group(2), LLAMA_LAYER))
    return split_suffix(rest, LLAMA_TOP)


def vision_name(rest):
    m = re.fullmatch(r"(global_)?transformer\.layers\.(\d+)\.(.+)", rest)
    if m:
        prefix = "v.global.blk." if m.group(1) else "v.blk."
        return prefix + m.group(2) + "." + split_suffix(m.group(3), VISION_LAYER)
    return split_suffix(rest, VISION_TOP)


def gguf_name(arch, hf):
    if arch == "llama":
        return "output.weight" if hf == "lm_head.weight" else decoder_name(hf[len("model."):])
    for new, old in NEW_LAYOUT:
        if hf.startswith(new):
            hf = old + hf[len(new):]
            break
    if hf == "language_model.lm_head.weight":
        return "output.weight"
    if hf.startswith("language_model.model."):
        return decoder_name(hf[len("language_model.model."):])
    if hf.startswith("vision_model."):
        return vision_name(hf[len("vision_model."):])
    return "mm.0." + hf[len("multi_modal_projector."):]


def interleave_rows(w, heads):
    """Within each head of d rows, row s*(d/2) + i moves to 2*i + s."""
    d = w.shape[0] // heads
    out = np.empty_like(w)
    for h in range(heads):
        for s in range(2):
            for i in range(d // 2):
                out[h * d + 2 * i + s] = w[h * d + s * (d // 2) + i]
    return out


def tanh32(x):
    return np.tanh(x.astype(np.float64)).astype(np.float32)


def llama3_rope_freqs(text):
    """transformers' _compute_llama3_parameters as 1 / scaling per pair."""
    head_dim = text.get("head_dim") or text["hidden_size"] // text["num_attention_heads"]
    s = text["rope_scaling"]
    factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
    original = s["original_max_position_embeddings"]
    out = []
    for i in range(0, head_dim, 2):
        wavelength = 2 * math.pi * text["rope_theta"] ** (i / head_dim)
        if wavelength < original / high:
            out.append(1.0)
        elif wavelength > original / low:
            out.append(factor)
        else:
            smooth = (original / wavelength - low) / (high - low)
            out.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(out, dtype=np.float64).astype(np.float32)


F32_NAMES = {"v.position_embd.weight", "v.tile_position_embd.weight",
             "v.pre_tile_position_embd.weight", "v.post_tile_position_embd.weight"}


def storage_type(name, ndim, source_dtype):
    """select-types auto (docs/Passes.md): F32 for vectors, non-.weight
    names, norms and positional tables; vision/projector matrices F16; other
    matrices keep BF16/F16, F32 ones become F16."""
    if ndim <= 1 or not name.endswith(".weight") or name in F32_NAMES \
            or name.endswith("_norm.weight"):
        return "F32"
    if name.startswith(("v.", "mm.")):
        return "F16"
    return "BF16" if source_dtype == "BF16" else "F16"


def stored_dtypes(path):
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    return {k: v["dtype"] for k, v in header.items() if k != "__metadata__"}


def expected_tensors(arch, config, source, dtypes):
    """{gguf name: (float32 value, source dtype)} and the transform counts."""
    text = config["text_config"] if arch == "mllama" else config
    vision = config.get("vision_config", {})
    heads = text["num_attention_heads"]
    kv_heads = text.get("num_key_value_heads", heads)
    want, counts = {}, {"permuted": 0, "gates": 0}
    for hf, value in source.items():
        name = gguf_name(arch, hf)
        if arch == "llama" and name == "output.weight" and config.get("tie_word_embeddings"):
            continue
        if re.fullmatch(r"blk\.\d+\.(attn_q|cross_attn_q_proj)\.(weight|bias)", name):
            value, counts["permuted"] = interleave_rows(value, heads), counts["permuted"] + 1
        elif re.fullmatch(r"blk\.\d+\.(attn_k|cross_attn_k_proj)\.(weight|bias)", name):
            value, counts["permuted"] = interleave_rows(value, kv_heads), counts["permuted"] + 1
        elif re.fullmatch(r"v\.(global\.)?blk\.\d+\.attn_[qk]\.weight", name):
            value = interleave_rows(value, vision["attention_heads"])
            counts["permuted"] += 1
        elif re.fullmatch(r"v\.global\.blk\.\d+\.(attn|ffn)_gate|"
                          r"v\.(pre|post)_tile_position_embd\.gate", name):
            value, counts["gates"] = tanh32(value), counts["gates"] + 1
        elif name == "v.position_embd.gate":
            want["v.tile_position_embd.gate"] = (tanh32(value), "F32")
            value = np.float32(1) - tanh32(value)
            counts["gates"] += 2
        assert name not in want, "two tensors named " + name
        want[name] = (value, dtypes[hf])
    if (text.get("rope_scaling") or {}).get("rope_type") == "llama3":
        want["rope_freqs.weight"] = (llama3_rope_freqs(text), "F32")
    return want, counts


def main(ckpt, path):
    with open(os.path.join(ckpt, "config.json")) as f:
        config = json.load(f)
    arch = {"LlamaForCausalLM": "llama",
            "MllamaForConditionalGeneration": "mllama"}[config["architectures"][0]]
    source, dtypes = {}, {}
    for f in sorted(os.listdir(ckpt)):
        if f.endswith(".safetensors"):
            source.update(safetensorspy.read(os.path.join(ckpt, f)))
            dtypes.update(stored_dtypes(os.path.join(ckpt, f)))
    want, counts = expected_tensors(arch, config, source, dtypes)

    gguf = ggufpy.read(path)
    names = [t.name for t in gguf.tensors]
    assert len(names) == len(set(names)), "duplicate GGUF names"
    assert sorted(names) == sorted(want), (sorted(set(want) - set(names)),
                                           sorted(set(names) - set(want)))
    for t in gguf.tensors:
        value, source_dtype = want[t.name]
        want_type = storage_type(t.name, value.ndim, source_dtype)
        assert t.type_name == want_type, (t.name, t.type_name, want_type)
        if want_type == "F16":
            value = value.astype(np.float16).astype(np.float32)
        got = gguf.tensor(t.name)
        assert got.shape == value.shape, (t.name, got.shape, value.shape)
        assert np.array_equal(got, value), (t.name, got, value)
    print("ok: %d tensors match the checkpoint (%d Q/K permuted, %d gates folded%s)"
          % (len(names), counts["permuted"], counts["gates"],
             ", rope_freqs" if "rope_freqs.weight" in want else ""))


if __name__ == "__main__":
    main(*sys.argv[1:])
