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
    ts = _embedding_tensors(d)
    for i in range(d.layers):
        p = "model.layers.%d." % i
        ts += [(p + "input_layernorm.weight", (h,)),
               (p + "post_attention_layernorm.weight", (h,))]
        ts += _attention_tensors(p, d, q) + _mlp_tensors(p, d)
        if d.attention_bias:
            ts += [(p + "self_attn.q_proj.bias", (q,)),
                   (p + "self_attn.k_proj.bias", (kv,)),
                   (p + "self_attn.v_proj.bias", (kv,)),
                   (p + "self_attn.o_proj.bias", (h,))]
    return ts


def _attention_tensors(p, d, q_rows, qk_norm=True):
    """Qwen3's attention block under prefix p; q_rows is q_proj's output
    size (Qwen3-Next's q_proj also produces the output gate). Without
    qk_norm, the Llama-style block without per-head Q/K norms (Gemma)."""
    h, q, kv = d.hidden, d.heads * d.head_dim, d.kv_heads * d.head_dim
    ts = [(p + "self_attn.q_proj.weight", (q_rows, h)),
          (p + "self_attn.k_proj.weight", (kv, h)),
          (p + "self_attn.v_proj.weight", (kv, h)),
          (p + "self_attn.o_proj.weight", (h, q))]
    if qk_norm:
        ts += [(p + "self_attn.q_norm.weight", (d.head_dim,)),
               (p + "self_attn.k_norm.weight", (d.head_dim,))]
    return ts


def _mlp_tensors(p, d):
    """The gated MLP's gate/up/down projections under prefix p."""
    h, f = d.hidden, d.intermediate
    return [(p + "mlp.gate_proj.weight", (f, h)),
            (p + "mlp.up_proj.weight", (f, h)),
            (p + "mlp.down_proj.weight", (h, f))]


def _expert_tensors(p, d):
    """The router and one tensor per expert (the layout Qwen publishes;
    make-fixture's --expert-layout fuses them afterwards), names from
    transformers' modeling_qwen3_moe.py / modeling_qwen3_next.py."""
    h, i = d.hidden, d.moe_intermediate
    ts = [(p + "mlp.gate.weight", (d.experts, h))]
    for e in range(d.experts):
        ts += [(p + "mlp.experts.%d.gate_proj.weight" % e, (i, h)),
               (p + "mlp.experts.%d.up_proj.weight" % e, (i, h)),
               (p + "mlp.experts.%d.down_proj.weight" % e, (h, i))]
    return ts


def _moe_config(d):
    return {"decoder_sparse_step": 1,
            "mlp_only_layers": [],
            "moe_intermediate_size": d.moe_intermediate,
            "norm_topk_prob": True,
            "num_experts": d.experts,
            "num_experts_per_tok": d.experts_per_tok,
            "output_router_logits": False,
            "router_aux_loss_coef": 0.001}


def _embedding_tensors(d):
    ts = [("model.embed_tokens.weight", (d.vocab, d.hidden)),
          ("model.norm.weight", (d.hidden,))]
    if not d.tied or d.keep_lm_head:
        ts.append(("lm_head.weight", (d.vocab, d.hidden)))
    return ts


def qwen3moe_config(d, tok):
    """Keys and layout of Qwen/Qwen3-30B-A3B's config.json."""
    config = qwen3_config(d, tok)
    config.update(_moe_config(d))
    config.update({"architectures": ["Qwen3MoeForCausalLM"],
                   "model_type": "qwen3_moe"})
    return dict(sorted(config.items()))


def qwen3moe_tensors(d):
    """Qwen3MoeForCausalLM's state dict: Qwen3 with experts in every block."""
    ts = _embedding_tensors(d)
    for i in range(d.layers):
        p = "model.layers.%d." % i
        ts += [(p + "input_layernorm.weight", (d.hidden,)),
               (p + "post_attention_layernorm.weight", (d.hidden,))]
        ts += _attention_tensors(p, d, d.heads * d.head_dim)
        ts += _expert_tensors(p, d)
    return ts


def qwen3next_layer_types(d):
    """d.layer_types ("linear,full,..."), else transformers' default: every
    full_attention_interval-th layer has full attention, the others linear
    attention."""
    if d.layer_types:
        return [t + "_attention" for t in d.layer_types.split(",")]
    return ["full_attention" if (i + 1) % d.full_attention_interval == 0
            else "linear_attention" for i in range(d.layers)]


def qwen3next_config(d, tok):
    """Keys and layout of Qwen/Qwen3-Next-80B-A3B-Instruct's config.json
    (which, like this one, has no layer_types and no mtp_num_hidden_layers:
    the MTP layers are found from the tensors)."""
    config = qwen3_config(d, tok)
    config.update(_moe_config(d))
    for key in ("max_window_layers", "sliding_window"):
        del config[key]
    config.update({
        "architectures": ["Qwen3NextForCausalLM"],
        "model_type": "qwen3_next",
        "full_attention_interval": d.full_attention_interval,
        "linear_conv_kernel_dim": d.conv_kernel,
        "linear_key_head_dim": d.linear_key_dim,
        "linear_num_key_heads": d.linear_key_heads,
        "linear_num_value_heads": d.linear_value_heads,
        "linear_value_head_dim": d.linear_value_dim,
        "partial_rotary_factor": 0.25,
        "rope_theta": 10000000,
        "shared_expert_intermediate_size": d.shared_intermediate,
    })
    if d.layer_types:  # transformers v5 saves the list instead of the interval
        del config["full_attention_interval"]
        config["layer_types"] = qwen3next_layer_types(d)
    return dict(sorted(config.items()))


def _qwen3next_block(p, d, linear):
    """One Qwen3NextDecoderLayer: linear attention (Gated DeltaNet) or gated
    full attention, then the sparse MoE block with its shared expert."""
    h = d.hidden
    ts = [(p + "input_layernorm.weight", (h,)),
          (p + "post_attention_layernorm.weight", (h,))]
    if linear:
        nk, nv = d.linear_key_heads, d.linear_value_heads
        key_dim, value_dim = nk * d.linear_key_dim, nv * d.linear_value_dim
        conv_dim = 2 * key_dim + value_dim
        a = p + "linear_attn."
        ts += [(a + "in_proj_qkvz.weight", (2 * key_dim + 2 * value_dim, h)),
               (a + "in_proj_ba.weight", (2 * nv, h)),
               (a + "conv1d.weight", (conv_dim, 1, d.conv_kernel)),
               (a + "dt_bias", (nv,)),
               (a + "A_log", (nv,)),
               (a + "norm.weight", (d.linear_value_dim,)),
               (a + "out_proj.weight", (h, value_dim))]
    else:
        ts += _attention_tensors(p, d, 2 * d.heads * d.head_dim)
    ts += _expert_tensors(p, d)
    s = d.shared_intermediate
    ts += [(p + "mlp.shared_expert.gate_proj.weight", (s, h)),
           (p + "mlp.shared_expert.up_proj.weight", (s, h)),
           (p + "mlp.shared_expert.down_proj.weight", (h, s)),
           (p + "mlp.shared_expert_gate.weight", (1, h))]
    return ts


def qwen3next_tensors(d):
    """Qwen3NextForCausalLM's state dict, plus d.mtp_layers multi-token
    prediction layers under mtp.* as Qwen publishes them (transformers
    ignores them; llama.cpp loads them as extra blocks)."""
    ts = _embedding_tensors(d)
    for i, kind in enumerate(qwen3next_layer_types(d)):
        ts += _qwen3next_block("model.layers.%d." % i, d, kind == "linear_attention")
    if d.mtp_layers:
        h = d.hidden
        ts += [("mtp.fc.weight", (h, 2 * h)),
               ("mtp.pre_fc_norm_embedding.weight", (h,)),
               ("mtp.pre_fc_norm_hidden.weight", (h,)),
               ("mtp.norm.weight", (h,))]
        for j in range(d.mtp_layers):
            ts += _qwen3next_block("mtp.layers.%d." % j, d, False)
    return ts


def gemma_config(d, tok):
    """Keys and layout of google/gemma-2b's config.json (transformers 4.38)."""
    return {
        "architectures": ["GemmaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "head_dim": d.head_dim,
        "hidden_act": "gelu",
        "hidden_size": d.hidden,
        "initializer_range": 0.02,
        "intermediate_size": d.intermediate,
        "max_position_embeddings": d.context,
        "model_type": "gemma",
        "num_attention_heads": d.heads,
        "num_hidden_layers": d.layers,
        "num_key_value_heads": d.kv_heads,
        "pad_token_id": tok.pad_id,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "transformers_version": "4.38.0.dev0",
        "use_cache": True,
        "vocab_size": d.vocab,
    }


def gemma_tensors(d):
    """transformers' GemmaForCausalLM state dict: a Llama layout whose
    lm_head is tied (saved only with d.keep_lm_head)."""
    ts = _embedding_tensors(d)
    for i in range(d.layers):
        p = "model.layers.%d." % i
        ts += [(p + "input_layernorm.weight", (d.hidden,)),
               (p + "post_attention_layernorm.weight", (d.hidden,))]
        ts += _attention_tensors(p, d, d.heads * d.head_dim, qk_norm=False)
        ts += _mlp_tensors(p, d)
    return ts


def gemma3n_layer_types(d):
    """Gemma 3n's attention pattern: every fifth layer full, and the last
    one too when there are several, so that a tiny model has both kinds
    (llama.cpp's gemma3n needs at least one sliding-window layer)."""
    return ["full_attention" if (i + 1) % 5 == 0 or 0 < i == d.layers - 1
            else "sliding_attention" for i in range(d.layers)]


def gemma3n_config(d, tok):
    """Keys and layout of google/gemma-3n-E2B-it's config.json (transformers
    4.53): the language model's settings in text_config, per-layer
    intermediate sizes, vision and audio configs beside it."""
    # As released (and as llama.cpp's gemma3n graph assumes): the first 10
    # layers sparse at 0.95, the others dense.
    sparse = [0.95 if i < 10 else 0.0 for i in range(d.layers)]
    text = {
        "activation_sparsity_pattern": sparse,
        "altup_active_idx": 0,
        "altup_coef_clip": 120.0,
        "altup_correct_scale": True,
        "altup_lr_multiplier": 1.0,
        "altup_num_inputs": d.altup_inputs,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "final_logit_softcapping": 30.0,
        "head_dim": d.head_dim,
        "hidden_activation": "gelu_pytorch_tanh",
        "hidden_size": d.hidden,
        "hidden_size_per_layer_input": d.per_layer_input,
        "initializer_range": 0.02,
        "intermediate_size": [d.intermediate] * d.layers,
        "laurel_rank": d.laurel_rank,
        "layer_types": gemma3n_layer_types(d),
        "max_position_embeddings": d.context,
        "model_type": "gemma3n_text",
        "num_attention_heads": d.heads,
        "num_hidden_layers": d.layers,
        "num_key_value_heads": d.kv_heads,
        "num_kv_shared_layers": 0,
        "pad_token_id": tok.pad_id,
        "query_pre_attn_scalar": d.head_dim,
        "rms_norm_eps": 1e-06,
        "rope_local_base_freq": 10000.0,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": 512,
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "use_cache": True,
        "vocab_size": d.vocab,
        "vocab_size_per_layer_input": d.per_layer_vocab,
    }
    return {
        "architectures": ["Gemma3nForConditionalGeneration"],
        "audio_config": {"hidden_size": GEMMA3N_TOWER, "model_type": "gemma3n_audio",
                         "rms_norm_eps": 1e-06, "vocab_offset": d.per_layer_vocab + 128,
                         "vocab_size": 128},
        "audio_soft_tokens_per_image": 188,
        "eos_token_id": tok.stop_ids,
        "initializer_range": 0.02,
        "model_type": "gemma3n",
        "text_config": text,
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "transformers_version": "4.53.0.dev0",
        "vision_config": {"hidden_size": GEMMA3N_TOWER, "model_type": "gemma3n_vision",
                          "rms_norm_eps": 1e-06, "vocab_offset": d.per_layer_vocab,
                          "vocab_size": 128},
        "vision_soft_tokens_per_image": 256,
    }


# Width of the (tiny) audio and vision towers; their tensors only need to be
# there to be dropped.
GEMMA3N_TOWER = 8


def gemma3n_tensors(d):
    """transformers' Gemma3nForConditionalGeneration state dict: the language
    model under model.language_model (lm_head tied, not saved), plus a few
    tensors of each tower and multimodal embedder."""
    h = d.hidden
    a, p, r = d.altup_inputs, d.per_layer_input, d.laurel_rank
    lm = "model.language_model."
    ts = [(lm + "embed_tokens.weight", (d.vocab, h)),
          (lm + "embed_tokens_per_layer.weight", (d.per_layer_vocab, d.layers * p)),
          (lm + "per_layer_model_projection.weight", (d.layers * p, h)),
          (lm + "per_layer_projection_norm.weight", (p,)),
          (lm + "norm.weight", (h,))]
    for i in range(a - 1):
        ts += [(lm + "altup_projections.%d.weight" % i, (h, h)),
               (lm + "altup_unembed_projections.%d.weight" % i, (h, h))]
    for i in range(d.layers):
        x = lm + "layers.%d." % i
        ts += [(x + "input_layernorm.weight", (h,)),
               (x + "post_attention_layernorm.weight", (h,)),
               (x + "pre_feedforward_layernorm.weight", (h,)),
               (x + "post_feedforward_layernorm.weight", (h,)),
               (x + "per_layer_input_gate.weight", (p, h)),
               (x + "per_layer_projection.weight", (h, p)),
               (x + "post_per_layer_input_norm.weight", (h,)),
               (x + "altup.correct_output_scale", (h,)),
               (x + "altup.correction_coefs.weight", (a, a)),
               (x + "altup.prediction_coefs.weight", (a * a, a)),
               (x + "altup.modality_router.weight", (a, h)),
               (x + "altup.router_norm.weight", (h,)),
               (x + "laurel.linear_left.weight", (r, h)),
               (x + "laurel.linear_right.weight", (h, r)),
               (x + "laurel.post_laurel_norm.weight", (h,))]
        ts += _attention_tensors(x, d, d.heads * d.head_dim) + _mlp_tensors(x, d)
    t = GEMMA3N_TOWER
    ts += [("model.vision_tower.timm_model.conv_stem.conv.weight", (t, 3, 3, 3)),
           ("model.vision_tower.timm_model.msfa.norm.weight", (t,)),
           ("model.audio_tower.subsample_conv_projection.conv_0.conv.weight", (t, 1, 3, 3)),
           ("model.audio_tower.conformer.0.attention.attn.q_proj.weight", (t, t)),
           ("model.embed_vision.embedding.weight", (128, t)),
           ("model.embed_vision.embedding_projection.weight", (h, t)),
           ("model.embed_audio.embedding.weight", (128, t)),
           ("model.embed_audio.hard_embedding_norm.weight", (t,))]
    return ts


ARCHS = {
    "qwen3": (qwen3_config, qwen3_tensors),
    "qwen3moe": (qwen3moe_config, qwen3moe_tensors),
    "qwen3next": (qwen3next_config, qwen3next_tensors),
    "gemma": (gemma_config, gemma_tensors),
    "gemma3n": (gemma3n_config, gemma3n_tensors),
}
