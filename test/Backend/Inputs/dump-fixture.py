"""Writes the GGUF file gguf-dump.test checks, with utils/ggufpy.py (an
implementation independent of ggufc). Usage: dump-fixture.py UTILS OUT"""
import sys

sys.path.insert(0, sys.argv[1])
import ggufpy  # noqa: E402
import numpy as np  # noqa: E402

ggufpy.write(
    sys.argv[2],
    metadata=[
        ("general.architecture", "str", "test"),
        ("u8", "u8", 255), ("i8", "i8", -128),
        ("u16", "u16", 65535), ("i16", "i16", -32768),
        ("u32", "u32", 2**32 - 1), ("i32", "i32", -2**31),
        ("u64", "u64", 2**64 - 1), ("i64", "i64", -2**63),
        ("f32", "f32", 1e-6), ("f64", "f64", 0.1), ("bool", "bool", False),
        ("str", "str", 'tab\there "q" \\ nl\n bell\x07 us\x1f \u00e9'),
        ("ids", "[i32]", [1, 1, 3]),
        ("words", "[str]", ["a", ""]),
        ("floats", "[f32]", [0.5, float("-inf")]),
        ("long", "[u32]", list(range(20))),
        ("empty", "[u8]", []),
    ],
    tensors=[
        ("w", np.arange(6).reshape(2, 3), "F32"),
        ("h", np.array([0.5, 1, -2]), "F16"),
        ("b", np.array([[1, -1], [0.5, 3]]), "BF16"),
        ("q", bytes(range(34)), "Q8_0", [32]),
    ],
)
