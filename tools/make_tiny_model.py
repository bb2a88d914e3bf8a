#!/usr/bin/env python3
"""Writes a tiny qwen2 GGUF with seeded random weights, for tests.

The tokenizer, vocabulary and chat template are copied from `models/ggml-vocab-qwen2.gguf` of a
llama.cpp source tree; the weights are random, so the model answers nonsense, fast. Uses that tree's
`gguf-py` (put on sys.path here) and numpy.

Usage: make_tiny_model.py --llama-src DIR --output FILE [--seed N] [--layers N] [--width N]
"""

import argparse
import sys
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llama-src", required=True, help="a llama.cpp source tree")
    parser.add_argument("--output", required=True, help="where to write the GGUF")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--width", type=int, default=64)
    return parser.parse_args()


def copy_tokenizer(writer, vocab_path: Path) -> int:
    """Copies every tokenizer.* key of the vocab file; returns the vocabulary size."""
    from gguf import GGUFReader, GGUFValueType

    reader = GGUFReader(str(vocab_path))
    n_vocab = 0
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        value = field.contents()
        main_type = field.types[0]
        if main_type == GGUFValueType.ARRAY:
            writer.add_key_value(key, value, main_type, sub_type=field.types[-1])
            if key == "tokenizer.ggml.tokens":
                n_vocab = len(value)
        else:
            writer.add_key_value(key, value, main_type)
    if n_vocab == 0:
        raise SystemExit(f"no tokenizer.ggml.tokens in {vocab_path}")
    return n_vocab


def add_weights(writer, rng, n_vocab: int, n_layer: int, n_embd: int, heads: tuple[int, int], n_ff: int) -> None:
    """Adds random weights; numpy shapes are the reverse of ggml's."""
    import numpy as np

    def rand(*shape):
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    n_head, n_head_kv = heads
    n_embd_kv = n_embd // n_head * n_head_kv
    writer.add_tensor("token_embd.weight", rand(n_vocab, n_embd))
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    for i in range(n_layer):
        p = f"blk.{i}."
        writer.add_tensor(p + "attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(p + "attn_q.weight", rand(n_embd, n_embd))
        writer.add_tensor(p + "attn_q.bias", rand(n_embd))
        writer.add_tensor(p + "attn_k.weight", rand(n_embd_kv, n_embd))
        writer.add_tensor(p + "attn_k.bias", rand(n_embd_kv))
        writer.add_tensor(p + "attn_v.weight", rand(n_embd_kv, n_embd))
        writer.add_tensor(p + "attn_v.bias", rand(n_embd_kv))
        writer.add_tensor(p + "attn_output.weight", rand(n_embd, n_embd))
        writer.add_tensor(p + "ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(p + "ffn_gate.weight", rand(n_ff, n_embd))
        writer.add_tensor(p + "ffn_up.weight", rand(n_ff, n_embd))
        writer.add_tensor(p + "ffn_down.weight", rand(n_embd, n_ff))


def main() -> None:
    args = parse_args()
    src = Path(args.llama_src)
    sys.path.insert(0, str(src / "gguf-py"))
    import numpy as np
    from gguf import GGUFWriter

    n_embd, n_layer = args.width, args.layers
    n_head = 4
    n_head_kv = 2
    n_ff = n_embd * 2
    writer = GGUFWriter(args.output, "qwen2")
    writer.add_name("factory tiny qwen2 (random weights)")
    writer.add_block_count(n_layer)
    writer.add_context_length(32768)
    writer.add_embedding_length(n_embd)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head_kv)
    writer.add_rope_freq_base(1000000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(0)  # all F32
    n_vocab = copy_tokenizer(writer, src / "models" / "ggml-vocab-qwen2.gguf")
    add_weights(writer, np.random.default_rng(args.seed), n_vocab, n_layer, n_embd, (n_head, n_head_kv), n_ff)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {args.output}: qwen2, {n_layer} layers, width {n_embd}, vocab {n_vocab}")


if __name__ == "__main__":
    main()
