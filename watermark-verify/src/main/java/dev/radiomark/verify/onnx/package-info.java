/**
 * Causal language models exported to ONNX, run with ONNX Runtime: for serving
 * ({@link dev.radiomark.verify.onnx.OnnxCausalLm.Decoder}, with the key/value cache when the
 * model has one) and as a reading-mode suspect
 * ({@link dev.radiomark.verify.onnx.OnnxSuspectModel}).
 *
 * <p>The only package of the library that touches ONNX Runtime types. The dependency
 * {@code com.microsoft.onnxruntime:onnxruntime} is optional in {@code watermark-verify}: code that
 * uses this package declares it itself; nobody else pulls it in.
 *
 * <p>The layout read is the usual one of exported causal LMs: input {@code input_ids} [batch, seq]
 * int64; optional {@code attention_mask} [batch, past + seq] and {@code position_ids} [batch, seq]
 * int64; output {@code logits} [batch, seq, vocab] float32; optionally the cache, inputs
 * {@code past_key_values.N.key|value} [batch, heads, past, head_dim] with outputs
 * {@code present.N.key|value}. An optional metadata entry {@code max_position_embeddings} bounds
 * the context length.
 */
package dev.radiomark.verify.onnx;
