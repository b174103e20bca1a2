"""Breaks a freshly written fixture in one specific way, for the frontend's
error tests. Each kind maps to one function taking the checkpoint directory.
Headers are handled as ordered (name, entry) pairs so that malformed ones
(a name given twice) can be written too."""

import json
import os
import struct

import numpy as np
import safetensorspy

INDEX = "model.safetensors.index.json"
# The tensor the header corruptions act on; every qwen3 fixture has it.
VICTIM = "model.norm.weight"


def _read_header(path):
    """(entries, data bytes) of a SafeTensors file; __metadata__ left out."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n], object_pairs_hook=list)
    return [(k, dict(v)) for k, v in header if k != "__metadata__"], raw[8 + n:]


def _header_text(entries):
    return "{" + ",".join(json.dumps(n) + ":" + json.dumps(e) for n, e in entries) + "}"


def _pack(header, data):
    """A whole file: header length, header padded to 8 bytes, data."""
    raw = header.encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


def _shards(ckpt):
    return sorted(n for n in os.listdir(ckpt) if n.endswith(".safetensors"))


def _file_with(ckpt, name):
    for f in _shards(ckpt):
        entries, _ = _read_header(os.path.join(ckpt, f))
        if any(n == name for n, _ in entries):
            return os.path.join(ckpt, f)
    raise SystemExit("no file holds " + name)


def _rewrite_header(ckpt, edit):
    """Applies edit(entries, data_size) to the header of the file holding
    VICTIM and writes it back with the same data."""
    path = _file_with(ckpt, VICTIM)
    entries, data = _read_header(path)
    entries = edit(entries, len(data))
    with open(path, "wb") as f:
        f.write(_pack(_header_text(entries), data))


def _entry(entries, name):
    return next(e for n, e in entries if n == name)


def truncated(ckpt):
    path = _file_with(ckpt, VICTIM)
    with open(path, "rb") as f:
        head = f.read(5)
    with open(path, "wb") as f:
        f.write(head)


def header_past_eof(ckpt):
    path = _file_with(ckpt, VICTIM)
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        f.write(struct.pack("<Q", size))  # 8 bytes more than follow it


def bad_header_json(ckpt):
    """The header of the file holding VICTIM is cut short mid-object."""
    path = _file_with(ckpt, VICTIM)
    _, data = _read_header(path)
    with open(path, "wb") as f:
        f.write(_pack('{"' + VICTIM + '": {"dtype": "F32",', data))


def header_not_object(ckpt):
    path = _file_with(ckpt, VICTIM)
    _, data = _read_header(path)
    with open(path, "wb") as f:
        f.write(_pack("[]", data))


def overlap(ckpt):
    """The data of the second tensor starts 2 bytes into the first's."""
    def edit(entries, _):
        by_offset = sorted((e["data_offsets"][0], n) for n, e in entries)
        first = _entry(entries, by_offset[0][1])
        second = _entry(entries, by_offset[1][1])
        size = second["data_offsets"][1] - second["data_offsets"][0]
        start = first["data_offsets"][0] + 2
        second["data_offsets"] = [start, start + size]
        return entries
    _rewrite_header(ckpt, edit)


def out_of_range(ckpt):
    """VICTIM's data ends 4 bytes past the end of the file."""
    def edit(entries, data_size):
        e = _entry(entries, VICTIM)
        size = e["data_offsets"][1] - e["data_offsets"][0]
        e["data_offsets"] = [data_size + 4 - size, data_size + 4]
        return entries
    _rewrite_header(ckpt, edit)


def size_mismatch(ckpt):
    """VICTIM claims one element more than its bytes hold."""
    def edit(entries, _):
        _entry(entries, VICTIM)["shape"][0] += 1
        return entries
    _rewrite_header(ckpt, edit)


def dtype_i8(ckpt):
    def edit(entries, _):
        _entry(entries, VICTIM)["dtype"] = "I8"
        return entries
    _rewrite_header(ckpt, edit)


def duplicate_name(ckpt):
    """VICTIM appears twice in one header."""
    def edit(entries, _):
        return entries + [(VICTIM, dict(_entry(entries, VICTIM)))]
    _rewrite_header(ckpt, edit)


def duplicate_across_files(ckpt):
    """extra.safetensors (listed before model*.safetensors) holds VICTIM too."""
    safetensorspy.write(os.path.join(ckpt, "extra.safetensors"),
                        {VICTIM: (np.zeros(1, np.float32), "F32")})


def _edit_index(ckpt, edit):
    path = os.path.join(ckpt, INDEX)
    if not os.path.exists(path):
        raise SystemExit("this corruption needs --shards 2 or more")
    with open(path) as f:
        index = json.load(f)
    edit(index["weight_map"])
    with open(path, "w") as f:
        json.dump(index, f, indent=2)


def missing_shard(ckpt):
    _edit_index(ckpt, lambda m: None)
    os.remove(os.path.join(ckpt, _shards(ckpt)[-1]))


def index_extra_tensor(ckpt):
    """The index lists a tensor no shard has."""
    def edit(weight_map):
        weight_map["model.layers.99.mlp.up_proj.weight"] = weight_map[VICTIM]
    _edit_index(ckpt, edit)


def unindexed_tensor(ckpt):
    """A shard holds VICTIM but the index does not list it."""
    _edit_index(ckpt, lambda m: m.pop(VICTIM))


def bad_config_json(ckpt):
    with open(os.path.join(ckpt, "config.json"), "w") as f:
        f.write('{"architectures": ["Qwen3ForCausalLM"],\n  "hidden_size": }\n')


def no_config(ckpt):
    os.remove(os.path.join(ckpt, "config.json"))


def unknown_arch(ckpt):
    path = os.path.join(ckpt, "config.json")
    with open(path) as f:
        config = json.load(f)
    config["architectures"] = ["FooForCausalLM"]
    with open(path, "w") as f:
        json.dump(config, f, indent=2)


def no_safetensors(ckpt):
    for f in _shards(ckpt):
        os.remove(os.path.join(ckpt, f))
    if os.path.exists(os.path.join(ckpt, INDEX)):
        os.remove(os.path.join(ckpt, INDEX))


KINDS = {name.replace("_", "-"): fn for name, fn in list(globals().items())
         if callable(fn) and not name.startswith("_") and fn.__module__ == __name__}
