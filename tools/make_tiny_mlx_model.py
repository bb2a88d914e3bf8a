#!/usr/bin/env python3
"""Converts the tiny qwen2 GGUF into a Hugging Face-style MLX model directory, for tests.

Reads the GGUF with `mx.load(..., return_metadata=True)` and writes, offline:
  model.safetensors      the tensors under Hugging Face Qwen2 names (tied embeddings: no lm_head)
  config.json            from the qwen2.* metadata
  tokenizer.json         byte-level BPE from the GGUF's tokens and merges, Qwen2's split regex,
                         added tokens from token_type (3 = control: special; 4 = user-defined)
  tokenizer_config.json  the chat template and the EOS token

Needs mlx and tokenizers (the mlx engine's virtual environment has both).

Usage: make_tiny_mlx_model.py --gguf FILE --output DIR
"""

import argparse
import json
from pathlib import Path

# Qwen2's pre-tokenizer split pattern, as in its tokenizer.json (and llama.cpp's "qwen2" pre-tokenizer).
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)

TOKEN_NORMAL, TOKEN_CONTROL, TOKEN_USER_DEFINED = 1, 3, 4

# GGUF tensor names (after "blk.N.") and their Hugging Face Qwen2 names (after "model.layers.N.").
LAYER_TENSORS = {
    "attn_norm": "input_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_norm": "post_attention_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}
GLOBAL_TENSORS = {
    "token_embd": "model.embed_tokens",
    "output_norm": "model.norm",
    "output": "lm_head",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gguf", required=True, help="the tiny qwen2 GGUF")
    parser.add_argument("--output", required=True, help="the directory to write (created)")
    return parser.parse_args()


def hf_name(name: str) -> str:
    """`blk.0.attn_q.weight` -> `model.layers.0.self_attn.q_proj.weight`."""
    stem, kind = name.rsplit(".", 1)
    if stem in GLOBAL_TENSORS:
        return f"{GLOBAL_TENSORS[stem]}.{kind}"
    parts = stem.split(".")
    if len(parts) == 3 and parts[0] == "blk" and parts[2] in LAYER_TENSORS:
        return f"model.layers.{parts[1]}.{LAYER_TENSORS[parts[2]]}.{kind}"
    raise SystemExit(f"unexpected tensor {name}")


def scalar(meta: dict, key: str):
    if key not in meta:
        raise SystemExit(f"the GGUF has no {key}")
    value = meta[key]
    return value.item() if hasattr(value, "item") else value


def model_config(meta: dict, n_vocab: int, tied: bool) -> dict:
    arch = scalar(meta, "general.architecture")
    if arch != "qwen2":
        raise SystemExit(f"expected a qwen2 GGUF, got {arch}")
    def get(key: str):
        return scalar(meta, f"qwen2.{key}")

    return {
        "architectures": ["Qwen2ForCausalLM"],
        "model_type": "qwen2",
        "hidden_size": get("embedding_length"),
        "intermediate_size": get("feed_forward_length"),
        "num_hidden_layers": get("block_count"),
        "num_attention_heads": get("attention.head_count"),
        "num_key_value_heads": get("attention.head_count_kv"),
        "rms_norm_eps": float(f"{get('attention.layer_norm_rms_epsilon'):.7g}"),
        "rope_theta": float(f"{get('rope.freq_base'):.7g}"),
        "max_position_embeddings": get("context_length"),
        "vocab_size": n_vocab,
        "hidden_act": "silu",
        "tie_word_embeddings": tied,
        "use_sliding_window": False,
        "bos_token_id": scalar(meta, "tokenizer.ggml.bos_token_id"),
        "eos_token_id": scalar(meta, "tokenizer.ggml.eos_token_id"),
        "torch_dtype": "float32",
    }


def build_tokenizer(meta: dict):
    """A byte-level BPE tokenizer equal to Qwen2's, from the GGUF's tokenizer metadata."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    if scalar(meta, "tokenizer.ggml.model") != "gpt2":
        raise SystemExit("expected a byte-level BPE (gpt2) tokenizer in the GGUF")
    tokens = meta["tokenizer.ggml.tokens"]
    types = meta["tokenizer.ggml.token_type"].tolist()
    merges = [tuple(merge.split(" ", 1)) for merge in meta["tokenizer.ggml.merges"]]
    vocab = {token: i for i, (token, kind) in enumerate(zip(tokens, types)) if kind == TOKEN_NORMAL}
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, byte_fallback=False, fuse_unk=False))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    # Added tokens get the next free ids, so they are added in id order, right after the BPE vocabulary.
    for i, (token, kind) in enumerate(zip(tokens, types)):
        if kind == TOKEN_NORMAL:
            continue
        if kind not in (TOKEN_CONTROL, TOKEN_USER_DEFINED):
            raise SystemExit(f"token {i} {token!r} has unsupported type {kind}")
        added = AddedToken(token, special=kind == TOKEN_CONTROL, normalized=False)
        if kind == TOKEN_CONTROL:
            tokenizer.add_special_tokens([added])
        else:
            tokenizer.add_tokens([added])
        if tokenizer.token_to_id(token) != i:
            raise SystemExit(f"token {token!r} got id {tokenizer.token_to_id(token)}, expected {i}")
    return tokenizer, tokens


def tokenizer_config(meta: dict, tokens: list) -> dict:
    eos = tokens[scalar(meta, "tokenizer.ggml.eos_token_id")]
    pad_id = meta.get("tokenizer.ggml.padding_token_id")
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "chat_template": scalar(meta, "tokenizer.chat_template"),
        "eos_token": eos,
        "pad_token": tokens[pad_id.item()] if pad_id is not None else eos,
        "bos_token": None,
        "add_bos_token": False,
        "add_prefix_space": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": scalar(meta, "qwen2.context_length"),
    }


def main() -> None:
    args = parse_args()
    import mlx.core as mx

    weights, meta = mx.load(args.gguf, return_metadata=True)
    tensors = {hf_name(name): value for name, value in weights.items()}
    tied = "lm_head.weight" not in tensors
    n_vocab = tensors["model.embed_tokens.weight"].shape[0]
    tokenizer, tokens = build_tokenizer(meta)
    if len(tokens) != n_vocab:
        raise SystemExit(f"{len(tokens)} tokens but an embedding of {n_vocab} rows")
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    mx.save_safetensors(str(out / "model.safetensors"), tensors, metadata={"format": "mlx"})
    (out / "config.json").write_text(json.dumps(model_config(meta, n_vocab, tied), indent=2) + "\n")
    tokenizer.save(str(out / "tokenizer.json"))
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(meta, tokens), indent=2) + "\n")
    layers = scalar(meta, "qwen2.block_count")
    print(f"wrote {out}: qwen2, {layers} layers, {len(tensors)} tensors, vocab {n_vocab}, tied {tied}")


if __name__ == "__main__":
    main()
