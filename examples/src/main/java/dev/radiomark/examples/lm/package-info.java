/**
 * Language models over o200k_base token ids for the examples: the KJV verse corpus with its
 * fixed four-way split ({@link dev.radiomark.examples.lm.Corpus}), the
 * {@link dev.radiomark.examples.lm.LanguageModel} interface used by the demo, the watermark
 * sampler and the verifier, an interpolated Kneser-Ney n-gram model and a small feed-forward
 * neural model trained with ND4J. Build models through {@link dev.radiomark.examples.lm.Models}.
 *
 * <p>Models are immutable after training and safe to share between threads.
 */
package dev.radiomark.examples.lm;
