"""The fused expert layouts of mixture-of-experts checkpoints, made from the
per-expert tensors of the same weights, so that every layout of one fixture
holds the same numbers:

- "fused": transformers v5 (Qwen3MoeExperts, Qwen3NextExperts):
  <prefix>.gate_up_proj [E, 2I, H] (each expert's gate rows, then its up
  rows) and <prefix>.down_proj [E, H, I], nn.Linear orientation, no
  ".weight" suffix;
- "fused-transposed": the same transposed per expert, as Qwen3-VL-MoE stores
  them: gate_up_proj [E, H, 2I], down_proj [E, I, H]."""

import re

import numpy as np

LAYOUTS = ("per-expert", "fused", "fused-transposed")
_MEMBER = re.compile(r"^(.*\.mlp\.experts)\.(\d+)\.(gate|up|down)_proj\.weight$")


def fuse(values, layout):
    """values: name -> array with one tensor per expert; returns the layout's
    name -> array."""
    if layout == "per-expert":
        return values
    groups = {}
    out = {}
    for name, value in values.items():
        m = _MEMBER.match(name)
        if m:
            groups.setdefault(m.group(1), {})[(int(m.group(2)), m.group(3))] = value
        else:
            out[name] = value
    for prefix, members in groups.items():
        experts = range(max(e for e, _ in members) + 1)
        gate_up = np.stack([np.concatenate([members[e, "gate"], members[e, "up"]])
                            for e in experts])
        down = np.stack([members[e, "down"] for e in experts])
        if layout == "fused-transposed":
            gate_up, down = gate_up.transpose(0, 2, 1), down.transpose(0, 2, 1)
        out[prefix + ".gate_up_proj"] = np.ascontiguousarray(gate_up)
        out[prefix + ".down_proj"] = np.ascontiguousarray(down)
    return out
