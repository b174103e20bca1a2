"""Per-architecture tables: the config.json a HuggingFace checkpoint of that
architecture has, its tensor names and shapes (row-major, as stored) and the
style of its synthetic tokenizer. Adding an architecture means adding one
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


def decoder_layer(p, d, head_dim, attention="self_attn", bias=None):
    """A Llama-style decoder layer under prefix p (transformers'
    LlamaDecoderLayer): norms, q/k/v/o projections (with biases if bias, by
    default d.attention_bias) and the SwiGLU MLP."""
    h, q, kv = d.hidden, d.heads * head_dim, d.kv_heads * head_dim
    a = p + attention + "."
    ts = [(p + "input_layernorm.weight", (h,)),
          (p + "post_attention_layernorm.weight", (h,)),
          (a + "q_proj.weight", (q, h)),
          (a + "k_proj.weight", (kv, h)),
          (a + "v_proj.weight", (kv, h)),
          (a + "o_proj.weight", (h, q)),
          (p + "mlp.gate_proj.weight", (d.intermediate, h)),
          (p + "mlp.up_proj.weight", (d.intermediate, h)),
          (p + "mlp.down_proj.weight", (h, d.intermediate))]
    if d.attention_bias if bias is None else bias:
        ts += [(a + "q_proj.bias", (q,)), (a + "k_proj.bias", (kv,)),
               (a + "v_proj.bias", (kv,)), (a + "o_proj.bias", (h,))]
    return ts


def causal_lm_tensors(d, layer_extras=lambda p: []):
    """transformers' <Model>ForCausalLM state dict with Llama-style layers. A
    tied checkpoint has no lm_head.weight (save_pretrained drops the copy)
    unless d.keep_lm_head asks for one."""
    ts = [("model.embed_tokens.weight", (d.vocab, d.hidden)),
          ("model.norm.weight", (d.hidden,))]
    if not d.tied or d.keep_lm_head:
        ts.append(("lm_head.weight", (d.vocab, d.hidden)))
    for i in range(d.layers):
        p = "model.layers.%d." % i
        ts += decoder_layer(p, d, d.head_dim) + layer_extras(p)
    return ts


def qwen3_tensors(d):
    """Qwen3ForCausalLM: Llama layers plus per-head RMSNorm of Q and K."""
    return causal_lm_tensors(d, lambda p: [
        (p + "self_attn.q_norm.weight", (d.head_dim,)),
        (p + "self_attn.k_norm.weight", (d.head_dim,))])


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
    return causal_lm_tensors(d)


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
            layer += [(p + "cross_attn.q_norm.weight", (head_dim,)),
                      (p + "cross_attn.k_norm.weight", (head_dim,)),
                      (p + "cross_attn_attn_gate", (1,)),
                      (p + "cross_attn_mlp_gate", (1,))]
        else:
            layer = decoder_layer(p, d, head_dim, bias=False)
        ts += [("text", n, s) for n, s in layer]
    ts += [("vision", n, s) for n, s in vision_tensors()]
    ts += [("projector", "weight", (d.hidden, VISION["vision_output_dim"])),
           ("projector", "bias", (d.hidden,))]
    return [(layout[m] + n, s, original[m] + n) for m, n, s in ts]


ARCHS = {
    "qwen3": Arch(qwen3_config, qwen3_tensors, "qwen2"),
    "llama": Arch(llama_config, llama_tensors, "llama3"),
    "mllama": Arch(mllama_config, mllama_tensors, "llama3-vision"),
}
