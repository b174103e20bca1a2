"""Per-architecture tables: the config.json a HuggingFace checkpoint of that
architecture has, its tensor names and shapes (row-major, as stored) and the
style of its synthetic tokenizer (tokenizer.STYLE_NAMES). Adding an architecture means adding one
function pair and an ARCHS entry.

A tensors function returns (name, shape) pairs, or (name, shape, value_name)
when the values should be those of another name (so that one checkpoint saved
under two key layouts holds the same numbers)."""

from collections import namedtuple

TORCH_DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}

Arch = namedtuple("Arch", "config tensors tokenizer")


def causal_lm_config(d, tok, **specific):
    """The keys every transformers <Model>ForCausalLM config.json of a
    Llama-style decoder has, and specific ones, in sorted order (as
    save_pretrained writes them)."""
    config = {
        "attention_bias": d.attention_bias,
        "attention_dropout": 0.0,
        "bos_token_id": tok.bos_id,
        "head_dim": d.head_dim,
        "hidden_act": "silu",
        "hidden_size": d.hidden,
        "initializer_range": 0.02,
        "intermediate_size": d.intermediate,
        "max_position_embeddings": d.context,
        "num_attention_heads": d.heads,
        "num_hidden_layers": d.layers,
        "num_key_value_heads": d.kv_heads,
        "tie_word_embeddings": d.tied,
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "use_cache": True,
        "vocab_size": d.vocab,
    }
    config.update(specific)
    return dict(sorted(config.items()))


def qwen3_config(d, tok):
    """Keys and layout of Qwen/Qwen3-0.6B's config.json (transformers 4.51)."""
    return causal_lm_config(
        d, tok, architectures=["Qwen3ForCausalLM"], eos_token_id=tok.eos_id,
        max_window_layers=d.layers, model_type="qwen3", rms_norm_eps=1e-06,
        rope_scaling=None, rope_theta=1000000, sliding_window=None,
        transformers_version="4.51.0", use_sliding_window=False)


def layer_norms(p, d):
    """The two RMSNorms of a decoder layer under prefix p."""
    return [(p + "input_layernorm.weight", (d.hidden,)),
            (p + "post_attention_layernorm.weight", (d.hidden,))]


def attention(a, d, head_dim, bias, q_rows=None):
    """q/k/v/o projections under prefix a (e.g. "...self_attn."), with
    biases if bias; q_rows, if given, is q_proj's output size (Qwen3-Next's
    q_proj also produces the output gate)."""
    h, q, kv = d.hidden, d.heads * head_dim, d.kv_heads * head_dim
    ts = [(a + "q_proj.weight", (q_rows or q, h)),
          (a + "k_proj.weight", (kv, h)),
          (a + "v_proj.weight", (kv, h)),
          (a + "o_proj.weight", (h, q))]
    if bias:
        ts += [(a + "q_proj.bias", (q,)), (a + "k_proj.bias", (kv,)),
               (a + "v_proj.bias", (kv,)), (a + "o_proj.bias", (h,))]
    return ts


def qk_norms(a, head_dim):
    """Per-head RMSNorms of Q and K under attention prefix a."""
    return [(a + "q_norm.weight", (head_dim,)), (a + "k_norm.weight", (head_dim,))]


def swiglu(m, d, inner):
    """A SwiGLU MLP under prefix m (a layer's mlp, one expert, a shared
    expert) with intermediate size inner."""
    h = d.hidden
    return [(m + "gate_proj.weight", (inner, h)),
            (m + "up_proj.weight", (inner, h)),
            (m + "down_proj.weight", (h, inner))]


def decoder_layer(p, d, head_dim, kind="self_attn", bias=None):
    """A Llama-style decoder layer under prefix p (transformers'
    LlamaDecoderLayer): norms, q/k/v/o projections (with biases if bias, by
    default d.attention_bias) and the SwiGLU MLP."""
    bias = d.attention_bias if bias is None else bias
    return (layer_norms(p, d) + attention(p + kind + ".", d, head_dim, bias) +
            swiglu(p + "mlp.", d, d.intermediate))


def embeddings(d):
    """Token embedding, final norm and, unless tied, lm_head. A tied
    checkpoint has no lm_head.weight (save_pretrained drops the copy) unless
    d.keep_lm_head asks for one."""
    ts = [("model.embed_tokens.weight", (d.vocab, d.hidden)),
          ("model.norm.weight", (d.hidden,))]
    if not d.tied or d.keep_lm_head:
        ts.append(("lm_head.weight", (d.vocab, d.hidden)))
    return ts


def causal_lm_tensors(d, layer):
    """transformers' <Model>ForCausalLM state dict: embeddings and the
    tensors layer(prefix) of every decoder layer."""
    ts = embeddings(d)
    for i in range(d.layers):
        ts += layer("model.layers.%d." % i)
    return ts


def qwen3_tensors(d):
    """Qwen3ForCausalLM: Llama layers plus per-head RMSNorm of Q and K."""
    return causal_lm_tensors(d, lambda p: decoder_layer(p, d, d.head_dim) +
                             qk_norms(p + "self_attn.", d.head_dim))


def moe_experts(p, d):
    """The router and one SwiGLU per expert (the layout Qwen publishes;
    make-fixture's --expert-layout fuses them afterwards), names from
    transformers' modeling_qwen3_moe.py / modeling_qwen3_next.py."""
    ts = [(p + "mlp.gate.weight", (d.experts, d.hidden))]
    for e in range(d.experts):
        ts += swiglu(p + "mlp.experts.%d." % e, d, d.moe_intermediate)
    return ts


def moe_config(d):
    return {"decoder_sparse_step": 1,
            "mlp_only_layers": [],
            "moe_intermediate_size": d.moe_intermediate,
            "norm_topk_prob": True,
            "num_experts": d.experts,
            "num_experts_per_tok": d.experts_per_tok,
            "output_router_logits": False,
            "router_aux_loss_coef": 0.001}


def qwen3moe_config(d, tok):
    """Keys and layout of Qwen/Qwen3-30B-A3B's config.json."""
    config = qwen3_config(d, tok)
    config.update(moe_config(d))
    config.update({"architectures": ["Qwen3MoeForCausalLM"],
                   "model_type": "qwen3_moe"})
    return dict(sorted(config.items()))


def qwen3moe_tensors(d):
    """Qwen3MoeForCausalLM's state dict: Qwen3 with experts in every block."""
    a = "self_attn."
    return causal_lm_tensors(d, lambda p: layer_norms(p, d) +
                             attention(p + a, d, d.head_dim, bias=False) +
                             qk_norms(p + a, d.head_dim) + moe_experts(p, d))


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
    config.update(moe_config(d))
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
    ts = layer_norms(p, d)
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
        a = p + "self_attn."
        ts += attention(a, d, d.head_dim, bias=False,
                        q_rows=2 * d.heads * d.head_dim)
        ts += qk_norms(a, d.head_dim)
    ts += moe_experts(p, d)
    ts += swiglu(p + "mlp.shared_expert.", d, d.shared_intermediate)
    ts += [(p + "mlp.shared_expert_gate.weight", (1, h))]
    return ts


def qwen3next_tensors(d):
    """Qwen3NextForCausalLM's state dict, plus d.mtp_layers multi-token
    prediction layers under mtp.* as Qwen publishes them (transformers
    ignores them; llama.cpp loads them as extra blocks)."""
    ts = embeddings(d)
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


LLAMA3_ROPE = {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
               "original_max_position_embeddings": 8192, "rope_type": "llama3"}


def llama_config(d, tok):
    """Keys and layout of meta-llama/Llama-3.2-1B's config.json
    (transformers 4.45), with its Llama 3.1 RoPE scaling."""
    return causal_lm_config(
        d, tok, architectures=["LlamaForCausalLM"],
        eos_token_id=tok.pad_id,  # <|end_of_text|> in the base model
        mlp_bias=False, model_type="llama", pretraining_tp=1,
        rms_norm_eps=1e-05, rope_scaling=LLAMA3_ROPE, rope_theta=500000.0,
        transformers_version="4.45.0.dev0")


def llama_tensors(d):
    """LlamaForCausalLM."""
    return causal_lm_tensors(d, lambda p: decoder_layer(p, d, d.head_dim))


# A tiny Llama 3.2 Vision encoder: 28x28 tiles of 14x14 patches (5 positions
# with the class token), up to 2 tiles in the aspect ratios below, features
# of layers 0 and 2 concatenated with the last one.
VISION = {"attention_heads": 4, "hidden_act": "gelu", "hidden_size": 32,
          "image_size": 28, "initializer_range": 0.02,
          "intermediate_layers_indices": [0, 2], "intermediate_size": 64,
          "max_num_tiles": 2, "model_type": "mllama_vision_model",
          "norm_eps": 1e-05, "num_channels": 3, "num_global_layers": 2,
          "num_hidden_layers": 3, "patch_size": 14,
          "supported_aspect_ratios": [[1, 1], [1, 2], [2, 1]],
          "vision_output_dim": 96}


def cross_attention_layers(d):
    """Every second text layer (Llama 3.2 11B has one in five)."""
    return list(range(1, d.layers, 2))


def mllama_config(d, tok):
    """Keys and layout of meta-llama/Llama-3.2-11B-Vision-Instruct's
    config.json (transformers 4.45; configuration_mllama.py)."""
    return {
        "architectures": ["MllamaForConditionalGeneration"],
        "image_token_index": tok.image_id,
        "model_type": "mllama",
        "text_config": {
            "bos_token_id": tok.bos_id,
            "cross_attention_layers": cross_attention_layers(d),
            "dropout": 0,
            "eos_token_id": [tok.pad_id, tok.eos_id],
            "hidden_act": "silu",
            "hidden_size": d.hidden,
            "initializer_range": 0.02,
            "intermediate_size": d.intermediate,
            "max_position_embeddings": d.context,
            "model_type": "mllama_text_model",
            "num_attention_heads": d.heads,
            "num_hidden_layers": d.layers,
            "num_key_value_heads": d.kv_heads,
            "pad_token_id": tok.pad_id,
            "rms_norm_eps": 1e-05,
            "rope_scaling": dict(LLAMA3_ROPE, factor=8.0),
            "rope_theta": 500000.0,
            "tie_word_embeddings": False,
            "torch_dtype": TORCH_DTYPES[d.dtype],
            "use_cache": True,
            "vocab_size": d.vocab,
        },
        "torch_dtype": TORCH_DTYPES[d.dtype],
        "transformers_version": "4.45.0.dev0",
        "vision_config": VISION,
    }


def vision_layer(p, gated):
    """MllamaVisionEncoderLayer: LayerNorms with bias, bias-free attention,
    fc1/fc2 MLP with biases; global layers add the gates."""
    h, f = VISION["hidden_size"], VISION["intermediate_size"]
    ts = [(p + "self_attn.%s_proj.weight" % x, (h, h)) for x in "qkvo"]
    ts += [(p + "mlp.fc1.weight", (f, h)), (p + "mlp.fc1.bias", (f,)),
           (p + "mlp.fc2.weight", (h, f)), (p + "mlp.fc2.bias", (h,))]
    for norm in ("input_layernorm", "post_attention_layernorm"):
        ts += [(p + norm + ".weight", (h,)), (p + norm + ".bias", (h,))]
    if gated:
        ts += [(p + "gate_attn", (1,)), (p + "gate_ffn", (1,))]
    return ts


def vision_tensors():
    """MllamaVisionModel."""
    v = VISION
    h, patch, tiles = v["hidden_size"], v["patch_size"], v["max_num_tiles"]
    positions = (v["image_size"] // patch) ** 2 + 1
    ratios = len(v["supported_aspect_ratios"]) + 1
    ts = [("patch_embedding.weight", (h, v["num_channels"], patch, patch)),
          ("class_embedding", (h,)),
          ("gated_positional_embedding.gate", (1,)),
          ("gated_positional_embedding.embedding", (positions, h)),
          ("gated_positional_embedding.tile_embedding.weight",
           (ratios, tiles * positions * h))]
    for side in ("pre", "post"):
        e = side + "_tile_positional_embedding."
        ts += [(e + "embedding.weight", (ratios, tiles * h)), (e + "gate", (1,)),
               ("layernorm_" + side + ".weight", (h,)),
               ("layernorm_" + side + ".bias", (h,))]
    for i in range(v["num_hidden_layers"]):
        ts += vision_layer("transformer.layers.%d." % i, gated=False)
    for i in range(v["num_global_layers"]):
        ts += vision_layer("global_transformer.layers.%d." % i, gated=True)
    return ts


# Where MllamaForConditionalGeneration keeps its modules: the layout of the
# published checkpoints, and the one transformers >= 4.52 saves (its
# _checkpoint_conversion_mapping maps one to the other).
MLLAMA_LAYOUTS = {
    "original": {"text": "language_model.model.", "lm_head": "language_model.lm_head.",
                 "vision": "vision_model.", "projector": "multi_modal_projector."},
    "model": {"text": "model.language_model.", "lm_head": "lm_head.",
              "vision": "model.vision_model.", "projector": "model.multi_modal_projector."},
}


def mllama_tensors(d):
    """MllamaForConditionalGeneration (modeling_mllama.py): the text model's
    embedding has 8 rows beyond vocab_size, cross-attention layers have
    per-head Q/K RMSNorms and tanh gates, the projector maps the
    concatenated vision features to the text width. Values follow the
    original layout's names whatever d.key_layout is."""
    head_dim = d.hidden // d.heads  # MllamaTextConfig has no head_dim
    original, layout = MLLAMA_LAYOUTS["original"], MLLAMA_LAYOUTS[d.key_layout]
    ts = [("text", "embed_tokens.weight", (d.vocab + 8, d.hidden)),
          ("text", "norm.weight", (d.hidden,)),
          ("lm_head", "weight", (d.vocab, d.hidden))]
    for i in range(d.layers):
        p = "layers.%d." % i
        if i in cross_attention_layers(d):
            layer = decoder_layer(p, d, head_dim, "cross_attn", bias=False)
            layer += qk_norms(p + "cross_attn.", head_dim)
            layer += [(p + "cross_attn_attn_gate", (1,)),
                      (p + "cross_attn_mlp_gate", (1,))]
        else:
            layer = decoder_layer(p, d, head_dim, bias=False)
        ts += [("text", n, s) for n, s in layer]
    ts += [("vision", n, s) for n, s in vision_tensors()]
    ts += [("projector", "weight", (d.hidden, VISION["vision_output_dim"])),
           ("projector", "bias", (d.hidden,))]
    return [(layout[m] + n, s, original[m] + n) for m, n, s in ts]


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
    """transformers' GemmaForCausalLM state dict: a Llama layout without
    attention biases whose lm_head is tied (saved only with
    d.keep_lm_head)."""
    return causal_lm_tensors(d, lambda p: decoder_layer(p, d, d.head_dim, bias=False))


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
        ts += attention(x + "self_attn.", d, d.head_dim, bias=False)
        ts += qk_norms(x + "self_attn.", d.head_dim)
        ts += swiglu(x + "mlp.", d, d.intermediate)
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
    "qwen3": Arch(qwen3_config, qwen3_tensors, "qwen2"),
    "qwen3moe": Arch(qwen3moe_config, qwen3moe_tensors, "qwen2"),
    "qwen3next": Arch(qwen3next_config, qwen3next_tensors, "qwen2"),
    "llama": Arch(llama_config, llama_tensors, "llama3"),
    "mllama": Arch(mllama_config, mllama_tensors, "llama3-vision"),
    "gemma": Arch(gemma_config, gemma_tensors, "spm"),
    "gemma3n": Arch(gemma3n_config, gemma3n_tensors, "spm"),
}
