#!/usr/bin/python3
"""A small GGUF reader (and fixture writer) independent of ggufc's C++ code.

Tests use it to check what ggufc wrote without trusting ggufc's own reader:

    import ggufpy
    f = ggufpy.read("out.gguf")
    f.metadata["general.architecture"]      # -> 'qwen3'
    f.types["qwen3.block_count"]            # -> 'u32'  ('[i32]' for arrays)
    f.tensor("token_embd.weight")           # numpy array in source (PyTorch)
                                            # order, i.e. shape = reversed ne

As a program it prints the file as text for FileCheck:

    ggufpy.py FILE [--values]

`write()` builds GGUF files for tests of readers (gguf-dump) from plain
Python values. Requires numpy (Debian's /usr/bin/python3).
"""
import struct
import sys

import numpy as np

# GGUF value types (the GGUF specification's numbering).
_SCALARS = {
    0: ("u8", "<B"), 1: ("i8", "<b"), 2: ("u16", "<H"), 3: ("i16", "<h"),
    4: ("u32", "<I"), 5: ("i32", "<i"), 6: ("f32", "<f"), 7: ("bool", "<?"),
    10: ("u64", "<Q"), 11: ("i64", "<q"), 12: ("f64", "<d"),
}
_STR, _ARRAY = 8, 9
_TYPE_IDS = {name: tid for tid, (name, _) in _SCALARS.items()}
_TYPE_IDS["str"] = _STR

# ggml tensor types: id -> (name, values per block, bytes per block).
GGML_TYPES = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18),
    3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24),
    8: ("Q8_0", 32, 34), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210),
    15: ("Q8_K", 256, 292), 30: ("BF16", 1, 2),
}
_GGML_IDS = {name: tid for tid, (name, _, _) in GGML_TYPES.items()}


class GGUFError(Exception):
    pass


class TensorInfo:
    def __init__(self, name, ggml_type, ne, offset):
        self.name, self.ggml_type, self.ne, self.offset = name, ggml_type, ne, offset
        if ggml_type not in GGML_TYPES:
            raise GGUFError(f"tensor {name!r}: unknown ggml type {ggml_type}")
        _, block, block_bytes = GGML_TYPES[ggml_type]
        count = 1
        for n in ne:
            count *= n
        self.count = count
        self.size = count // block * block_bytes

    @property
    def type_name(self):
        return GGML_TYPES[self.ggml_type][0]

    @property
    def shape(self):
        """Source (row-major) order: ne reversed."""
        return tuple(reversed(self.ne))


class GGUFFile:
    def __init__(self, data):
        self.data = data
        if data[:4] != b"GGUF":
            raise GGUFError("bad magic")
        self.pos = 4
        self.version = self._unpack("<I")
        if self.version not in (2, 3):
            raise GGUFError(f"unsupported version {self.version}")
        n_tensors = self._unpack("<Q")
        n_kv = self._unpack("<Q")
        self.metadata = {}
        self.types = {}
        for _ in range(n_kv):
            key = self._string()
            if key in self.metadata:
                raise GGUFError(f"duplicate key {key!r}")
            self.types[key], self.metadata[key] = self._value()
        self.alignment = self.metadata.get("general.alignment", 32)
        self.tensors = []
        for _ in range(n_tensors):
            name = self._string()
            n_dims = self._unpack("<I")
            ne = [self._unpack("<Q") for _ in range(n_dims)]
            ggml_type = self._unpack("<I")
            offset = self._unpack("<Q")
            self.tensors.append(TensorInfo(name, ggml_type, ne, offset))
        self.header_size = self.pos
        self.data_start = -(-self.pos // self.alignment) * self.alignment
        for t in self.tensors:
            if t.offset % self.alignment:
                raise GGUFError(f"tensor {t.name!r}: misaligned offset {t.offset}")
            if self.data_start + t.offset + t.size > len(data):
                raise GGUFError(f"tensor {t.name!r}: data past end of file")

    def _unpack(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise GGUFError("unexpected end of file")
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return value

    def _string(self):
        n = self._unpack("<Q")
        if self.pos + n > len(self.data):
            raise GGUFError("string past end of file")
        s = self.data[self.pos:self.pos + n].decode("utf-8", errors="surrogateescape")
        self.pos += n
        return s

    def _scalar(self, type_id):
        if type_id == _STR:
            return self._string()
        if type_id not in _SCALARS:
            raise GGUFError(f"unknown value type {type_id}")
        return self._unpack(_SCALARS[type_id][1])

    def _type_name(self, type_id):
        return "str" if type_id == _STR else _SCALARS[type_id][0]

    def _value(self):
        type_id = self._unpack("<I")
        if type_id != _ARRAY:
            value = self._scalar(type_id)
            return self._type_name(type_id), value
        elem = self._unpack("<I")
        count = self._unpack("<Q")
        if elem == _ARRAY or (elem != _STR and elem not in _SCALARS):
            raise GGUFError(f"unsupported array element type {elem}")
        values = [self._scalar(elem) for _ in range(count)]
        return f"[{self._type_name(elem)}]", values

    def info(self, name):
        for t in self.tensors:
            if t.name == name:
                return t
        raise KeyError(name)

    def raw(self, name):
        t = self.info(name)
        start = self.data_start + t.offset
        return self.data[start:start + t.size]

    def tensor(self, name):
        """The elements as float32 (F32, F16, BF16), in source shape."""
        t = self.info(name)
        return decode_floats(self.raw(name), t.type_name).reshape(t.shape)


def read(path):
    with open(path, "rb") as f:
        return GGUFFile(f.read())


def write(path, metadata=(), tensors=(), alignment=32, pad_last=True):
    """Writes a GGUF v3 file.

    metadata: (key, type, value) with type 'u8'..'f64', 'bool', 'str' or
    '[T]' for an array of T (value a list). tensors: (name, numpy array in
    source order, 'F32' | 'F16' | 'BF16'), BF16 rounded to nearest even, or
    (name, raw bytes, ggml type name, ne list) for any other type.
    """
    out = bytearray(b"GGUF")
    out += struct.pack("<IQQ", 3, len(tensors), len(metadata))

    def put_str(s):
        b = s.encode("utf-8") if isinstance(s, str) else s
        out.extend(struct.pack("<Q", len(b)) + b)

    def put_scalar(type_name, v):
        if type_name == "str":
            put_str(v)
        else:
            out.extend(struct.pack(_SCALARS[_TYPE_IDS[type_name]][1], v))

    for key, type_name, value in metadata:
        put_str(key)
        if type_name.startswith("["):
            elem = type_name[1:-1]
            out.extend(struct.pack("<IIQ", _ARRAY, _TYPE_IDS[elem], len(value)))
            for v in value:
                put_scalar(elem, v)
        else:
            out.extend(struct.pack("<I", _TYPE_IDS[type_name]))
            put_scalar(type_name, value)

    blobs, offset = [], 0
    for name, array, type_name, *raw_ne in tensors:
        if raw_ne:
            blob, ne = bytes(array), list(raw_ne[0])
        else:
            blob, ne = _encode(array, type_name)
        put_str(name)
        out.extend(struct.pack("<I", len(ne)))
        for n in ne:
            out.extend(struct.pack("<Q", n))
        out.extend(struct.pack("<IQ", _GGML_IDS[type_name], offset))
        blobs.append((offset, blob))
        offset += -(-len(blob) // alignment) * alignment

    out.extend(b"\0" * (-len(out) % alignment))
    data_start = len(out)
    for off, blob in blobs:
        out.extend(b"\0" * (data_start + off - len(out)))
        out.extend(blob)
    if pad_last:
        out.extend(b"\0" * (-len(out) % alignment))
    with open(path, "wb") as f:
        f.write(out)


def encode_floats(array, type_name):
    """Little-endian bytes of a float array as F32, F16 or BF16 (each
    rounded to nearest even; also used by safetensorspy)."""
    a = np.ascontiguousarray(array, dtype=np.float32)
    if type_name == "F32":
        return a.astype("<f4").tobytes()
    if type_name == "F16":
        return a.astype("<f2").tobytes()
    if type_name == "BF16":
        bits = a.view(np.uint32).astype(np.uint64)
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        return bits.astype("<u2").tobytes()
    raise GGUFError(f"cannot encode {type_name}")


def decode_floats(raw, type_name):
    """The float32 values (1-D) of F32, F16 or BF16 bytes."""
    if type_name == "F32":
        return np.frombuffer(raw, dtype="<f4")
    if type_name == "F16":
        return np.frombuffer(raw, dtype="<f2").astype(np.float32)
    if type_name == "BF16":
        return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    raise GGUFError(f"cannot decode {type_name}")


def _encode(array, type_name):
    """(bytes, ne) of a float array."""
    return encode_floats(array, type_name), list(reversed(np.shape(array)))


def _fmt_f32(x):
    """Shortest text of a float32 value, nested lists for arrays."""
    a = np.asarray(x, dtype=np.float32)
    if a.ndim == 0:
        return str(np.float32(a))
    return "[" + ", ".join(_fmt_f32(e) for e in a) + "]"


def _fmt_meta(type_name, value):
    if type_name in ("f32", "[f32]"):
        return _fmt_f32(value)
    return repr(value)


def _main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: ggufpy.py FILE [--values]", file=sys.stderr)
        return 2
    try:
        f = read(argv[1])
    except (GGUFError, OSError) as e:
        print(f"ggufpy: error: {argv[1]}: {e}", file=sys.stderr)
        return 1
    print(f"version {f.version} alignment {f.alignment} data_start "
          f"{f.data_start} file_size {len(f.data)}")
    for key, value in f.metadata.items():
        print(f"meta {key} {f.types[key]} {_fmt_meta(f.types[key], value)}")
    for t in f.tensors:
        print(f"tensor {t.name} {t.type_name} shape={list(t.shape)} "
              f"offset={t.offset} size={t.size}")
        if "--values" in argv[2:] and t.type_name in ("F32", "F16", "BF16"):
            print(f"  values {_fmt_f32(f.tensor(t.name))}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
