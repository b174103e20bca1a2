"""Per-architecture tables: the config.json a HuggingFace checkpoint of that
architecture has, and its tensor names and shapes (row-major, as stored).
Adding an architecture means adding one function pair and an ARCHS entry."""

TORCH_DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}


def qwen3_config(d, tok):
    """Keys and layout of Qwen/Qwen3-0.6B's config.json (transformers 4.51)."""
    return {
        "architectures": ["Qwen3ForCausalLM"],
        "attention_bias": d.attention_bias,
        "attention_dropout": 0.0,
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "head_dim": d.head_dim,
        "hidden_act": "silu",
        "hidden_size": d.hidden,
        "initializer_range": 0.02,
        "intermediate_size": d.intermediate,
        "max_position_embeddings": d.context,
        "max_window_layers": d.layers,
        "model_type": "qwen3",
        "num_attention_heads": d.heads,
        "num_hidden_layers": d.layers,
        "num_key_value_heads": d.kv_heads,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000,
        "sliding_window": None,
        "tie_word_embeddings": d.tied,
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "transformers_version": "4.51.0",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": d.vocab,
    }


def qwen3_tensors(d):
    """Names and shapes of transformers' Qwen3ForCausalLM state dict. A tied
    checkpoint has no lm_head.weight (save_pretrained drops the copy) unless
    d.keep_lm_head asks for one."""
    h, q, kv = d.hidden, d.heads * d.head_dim, d.kv_heads * d.head_dim
    ts = [("model.embed_tokens.weight", (d.vocab, h)),
          ("model.norm.weight", (h,))]
    if not d.tied or d.keep_lm_head:
        ts.append(("lm_head.weight", (d.vocab, h)))
    for i in range(d.layers):
        p = "model.layers.%d." % i
        ts += [(p + "input_layernorm.weight", (h,)),
               (p + "post_attention_layernorm.weight", (h,)),
               (p + "self_attn.q_proj.weight", (q, h)),
               (p + "self_attn.k_proj.weight", (kv, h)),
               (p + "self_attn.v_proj.weight", (kv, h)),
               (p + "self_attn.o_proj.weight", (h, q)),
               (p + "self_attn.q_norm.weight", (d.head_dim,)),
               (p + "self_attn.k_norm.weight", (d.head_dim,)),
               (p + "mlp.gate_proj.weight", (d.intermediate, h)),
               (p + "mlp.up_proj.weight", (d.intermediate, h)),
               (p + "mlp.down_proj.weight", (h, d.intermediate))]
        if d.attention_bias:
            ts += [(p + "self_attn.q_proj.bias", (q,)),
                   (p + "self_attn.k_proj.bias", (kv,)),
                   (p + "self_attn.v_proj.bias", (kv,)),
                   (p + "self_attn.o_proj.bias", (h,))]
    return ts


ARCHS = {
    "qwen3": (qwen3_config, qwen3_tensors),
}
