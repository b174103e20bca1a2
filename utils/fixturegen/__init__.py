"""Writers for tiny, deterministic HuggingFace checkpoints (see make-fixture.py)."""
