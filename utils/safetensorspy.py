#!/usr/bin/python3
"""A small SafeTensors reader and writer independent of ggufc's C++ code.

    import safetensorspy
    safetensorspy.write("model.safetensors",
                        {"w": (np.arange(6).reshape(2, 3), "BF16")})
    tensors = safetensorspy.read("model.safetensors")  # name -> float32 array

Format: u64 little-endian header length, a JSON header {name: {dtype,
shape, data_offsets: [begin, end]}} (offsets relative to the data), then
the data. BF16 is written rounded to nearest even, read as uint16 << 16.
Requires numpy (Debian's /usr/bin/python3).
"""
import json
import struct

import numpy as np

from ggufpy import decode_floats, encode_floats


def write(path, tensors, metadata=None):
    """tensors: {name: (array, "F32" | "F16" | "BF16")}, written in order."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (array, dtype) in tensors.items():
        blob = encode_floats(array, dtype)
        header[name] = {"dtype": dtype, "shape": list(np.shape(array)),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read(path):
    """{name: float32 array of the stored shape}, in header order."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        out[name] = decode_floats(raw, info["dtype"]).reshape(info["shape"])
    return out
