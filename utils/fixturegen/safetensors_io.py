"""SafeTensors encoding: an 8-byte little-endian header length, a JSON header,
then the tensor bytes. The header is kept as an ordered list of (name, entry)
pairs so that malformed files (duplicate names) can be written too."""

import json
import struct

import numpy as np

DTYPE_SIZES = {"F32": 4, "F16": 2, "BF16": 2, "I8": 1}


def float32_to_bf16_bits(values):
    """bfloat16 bit patterns of float32 values, rounded to nearest even
    (as PyTorch does). Inputs are finite."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounding = np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return ((bits + rounding) >> np.uint32(16)).astype(np.uint16)


def encode(values, dtype):
    """Little-endian bytes of float32 values stored as dtype (F32, F16, BF16)."""
    values = np.asarray(values, dtype=np.float32)
    if dtype == "F32":
        return values.astype("<f4").tobytes()
    if dtype == "F16":
        return values.astype("<f2").tobytes()  # numpy rounds to nearest even
    if dtype == "BF16":
        return float32_to_bf16_bits(values).astype("<u2").tobytes()
    raise ValueError("cannot encode dtype " + dtype)


def header_text(entries, metadata=None):
    """JSON text of a header from (name, entry) pairs, keeping their order and
    any repeated name."""
    parts = []
    if metadata is not None:
        parts.append(json.dumps("__metadata__") + ":" + json.dumps(metadata))
    for name, entry in entries:
        parts.append(json.dumps(name) + ":" + json.dumps(entry, separators=(",", ":")))
    return "{" + ",".join(parts) + "}"


def pack(header, data):
    """A whole file: the header padded with spaces to a multiple of 8 bytes
    (as the reference implementation does), then data."""
    raw = header.encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


def layout(tensors):
    """Header entries and data for [(name, dtype, shape, bytes)], data in the
    given order."""
    entries, chunks, offset = [], [], 0
    for name, dtype, shape, data in tensors:
        entries.append((name, {"dtype": dtype, "shape": list(shape),
                               "data_offsets": [offset, offset + len(data)]}))
        chunks.append(data)
        offset += len(data)
    return entries, b"".join(chunks)


def write(path, tensors, metadata={"format": "pt"}):
    entries, data = layout(tensors)
    with open(path, "wb") as f:
        f.write(pack(header_text(entries, metadata), data))


def read_header(path):
    """(entries, data bytes) of a file written by write()."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n], object_pairs_hook=list)
    entries = [(k, dict(v)) for k, v in header if k != "__metadata__"]
    return entries, raw[8 + n:]
