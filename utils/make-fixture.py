#!/usr/bin/python3
"""Writes a tiny, deterministic HuggingFace checkpoint directory: config.json,
SafeTensors file(s) with the architecture's real tensor names and shapes
(optionally sharded with model.safetensors.index.json), tokenizer files and
generation_config.json. With --corrupt=KIND the result is then broken in one
way, to test the frontend's diagnostics.

Example: make-fixture.py /tmp/tiny-qwen3 --dtype bf16 --shards 2
Needs only Python 3 and NumPy."""

import argparse
import json
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensorspy  # noqa: E402
from fixturegen import archs, corrupt, experts, tokenizer  # noqa: E402

INDEX = "model.safetensors.index.json"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", help="checkpoint directory to write (created)")
    p.add_argument("--arch", choices=sorted(archs.ARCHS), default="qwen3")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--head-dim", type=int, default=32,
                   help="default 32, deliberately not hidden/heads (as in Qwen3)")
    p.add_argument("--intermediate", type=int, default=128)
    p.add_argument("--vocab", type=int,
                   help="embedding rows (default: tokenizer size rounded up to 64)")
    p.add_argument("--context", type=int, default=40960)
    p.add_argument("--dtype", choices=["f32", "f16", "bf16"], default="bf16")
    p.add_argument("--shards", type=int, default=1)
    tie = p.add_mutually_exclusive_group()
    tie.add_argument("--tied", dest="tied", action="store_true", default=True,
                     help="tie_word_embeddings (default, like Qwen3-0.6B)")
    tie.add_argument("--untied", dest="tied", action="store_false")
    p.add_argument("--keep-lm-head", action="store_true",
                   help="write lm_head.weight even when tied")
    p.add_argument("--attention-bias", action="store_true")
    moe = p.add_argument_group("mixture of experts (qwen3moe, qwen3next)")
    moe.add_argument("--experts", type=int, default=4)
    moe.add_argument("--experts-per-tok", type=int, default=2)
    moe.add_argument("--moe-intermediate", type=int, default=48,
                     help="moe_intermediate_size (default 48: neither hidden nor hidden/2)")
    moe.add_argument("--shared-intermediate", type=int, default=40,
                     help="shared_expert_intermediate_size (qwen3next)")
    moe.add_argument("--expert-layout", choices=experts.LAYOUTS, default="per-expert",
                     help="how the experts are stored (same numbers in every layout)")
    nxt = p.add_argument_group("linear attention (qwen3next)")
    nxt.add_argument("--linear-key-heads", type=int, default=2)
    nxt.add_argument("--linear-value-heads", type=int, default=4)
    nxt.add_argument("--linear-key-dim", type=int, default=16)
    nxt.add_argument("--linear-value-dim", type=int, default=16)
    nxt.add_argument("--conv-kernel", type=int, default=4)
    nxt.add_argument("--full-attention-interval", type=int, default=2)
    nxt.add_argument("--layer-types", metavar="KIND,KIND,...",
                     help="layer_types instead of full_attention_interval, each "
                          "KIND 'linear' or 'full' (one per layer)")
    nxt.add_argument("--mtp-layers", type=int, default=0,
                     help="multi-token prediction layers under mtp.*")
    p.add_argument("--seed", type=int, default=0)
    g = p.add_argument_group("gemma3n")
    g.add_argument("--per-layer-input", type=int, default=256,
                   help="hidden_size_per_layer_input (llama.cpp requires 256)")
    g.add_argument("--laurel-rank", type=int, default=64,
                   help="laurel_rank (llama.cpp requires 64)")
    g.add_argument("--altup-inputs", type=int, default=4,
                   help="altup_num_inputs (llama.cpp requires 4)")
    g.add_argument("--per-layer-vocab", type=int,
                   help="rows of the per-layer embedding table "
                        "(default: the tokenizer's size)")
    p.add_argument("--tokenizer", default="synthetic",
                   help="'synthetic' (byte-level BPE like Qwen's), 'spm' "
                        "(SentencePiece tokenizer.model like Gemma's) or a "
                        "directory with tokenizer.json and "
                        "tokenizer_config.json to copy")
    p.add_argument("--config-set", action="append", default=[], metavar="KEY=JSON",
                   help="set a config.json key (a.b for key b of object a), e.g. "
                        "rope_scaling='{\"rope_type\":\"yarn\",\"factor\":4}'")
    p.add_argument("--config-unset", action="append", default=[], metavar="KEY",
                   help="remove a config.json key (a.b as for --config-set)")
    p.add_argument("--corrupt", choices=sorted(corrupt.KINDS),
                   help="break the checkpoint in this way afterwards")
    return p.parse_args()


def tensor_values(name, shape, seed):
    """Deterministic values per (seed, name), whatever the sharding: norms
    near 1, biases small, weights scaled like an initialised Linear."""
    rng = np.random.RandomState((seed * 1000003 + zlib.crc32(name.encode())) % 2**32)
    x = rng.standard_normal(shape).astype(np.float32)
    if name.endswith("norm.weight"):
        return 1 + 0.1 * x
    if name.endswith(".bias"):
        return 0.1 * x
    return x / np.float32(np.sqrt(shape[-1]))


def natural_key(name):
    return [int(t) if t.isdigit() else t for t in name.replace(".", " . ").split()]


def write_tensors(out, values, a):
    dtype = a.dtype.upper()
    if a.shards == 1:
        groups = [sorted(values)]
        files = ["model.safetensors"]
    else:
        # Contiguous groups in layer order, like transformers' sharding.
        names = sorted(values, key=natural_key)
        groups = [list(g) for g in np.array_split(np.array(names, dtype=object), a.shards)]
        files = ["model-%05d-of-%05d.safetensors" % (i + 1, a.shards)
                 for i in range(a.shards)]
    for file, group in zip(files, groups):
        safetensorspy.write(os.path.join(out, file),
                            {n: (values[n], dtype) for n in sorted(group)},
                            metadata={"format": "pt"})
    if a.shards > 1:
        size = {"F32": 4, "F16": 2, "BF16": 2}[dtype]
        tokenizer.dump(os.path.join(out, INDEX), {
            "metadata": {"total_size": sum(v.size * size for v in values.values())},
            "weight_map": {n: f for f, g in zip(files, groups) for n in sorted(g)}})


def config_entry(config, key):
    """(object, key) that a dotted key "a.b" names in config."""
    *parents, leaf = key.split(".")
    for parent in parents:
        config = config[parent]
    return config, leaf


def main():
    a = parse_args()
    if a.layer_types:
        kinds = a.layer_types.split(",")
        if len(kinds) != a.layers or set(kinds) - {"linear", "full"}:
            sys.exit("--layer-types needs --layers entries, each 'linear' or 'full'")
    os.makedirs(a.out, exist_ok=True)
    if a.tokenizer == "synthetic":
        tok = tokenizer.write_synthetic(a.out)
    elif a.tokenizer == "spm":
        tok = tokenizer.write_spm(a.out)
    else:
        tok = tokenizer.copy_from(a.tokenizer, a.out)
    tokenizer.write_generation_config(a.out, tok)
    if a.vocab is None:
        a.vocab = -(-tok.size // 64) * 64
    if a.vocab < tok.size:
        sys.exit("--vocab %d is smaller than the tokenizer (%d ids)" % (a.vocab, tok.size))
    if a.per_layer_vocab is None:
        a.per_layer_vocab = tok.size

    make_config, make_tensors = archs.ARCHS[a.arch]
    config = make_config(a, tok)
    for setting in a.config_set:
        key, _, value = setting.partition("=")
        parent, leaf = config_entry(config, key)
        parent[leaf] = json.loads(value)
    for key in a.config_unset:
        parent, leaf = config_entry(config, key)
        parent.pop(leaf, None)
    tokenizer.dump(os.path.join(a.out, "config.json"), config)
    values = {n: tensor_values(n, s, a.seed) for n, s in make_tensors(a)}
    write_tensors(a.out, experts.fuse(values, a.expert_layout), a)
    if a.corrupt:
        corrupt.KINDS[a.corrupt](a.out)


if __name__ == "__main__":
    main()
