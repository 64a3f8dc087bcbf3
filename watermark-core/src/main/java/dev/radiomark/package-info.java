/**
 * Radiomark core: watermark every token a model serves, cheaply enough to leave on.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.radiomark.key.WatermarkKey}: secret material; derive one sub-key per tenant or
 *       epoch; store it with {@link dev.radiomark.key.KeyFiles}.</li>
 *   <li>{@link dev.radiomark.WatermarkSpec}: scheme, tokenizer, vocabulary size, window and
 *       scheme parameters. Immutable; travels with the key.</li>
 *   <li>{@link dev.radiomark.Watermarker}: the scheme bound to a key. Immutable, thread-safe, one
 *       per key for the whole server.</li>
 *   <li>{@link dev.radiomark.Sampler}: one decoding step (temperature, top-k, top-p, the scheme's
 *       rule); {@link dev.radiomark.DecodeState} holds one sequence's scratch space.</li>
 *   <li>{@link dev.radiomark.LogitsProcessor}: the green-list bias in place, for engines that
 *       keep their own sampler.</li>
 *   <li>{@link dev.radiomark.ledger.ServedWindowLedger}: records the windows served, for the
 *       supervised radioactivity test.</li>
 * </ul>
 *
 * <h2>A decode loop</h2>
 * <pre>{@code
 * KeyFile kf = KeyFiles.read(Path.of("tenant.key"));
 * Watermarker wm = kf.watermarker();
 * Sampler sampler = wm.sampler(SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95));
 * DecodeState state = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create());
 * int[] tokens = new int[maxLen];           // prompt, then generated tokens
 * int len = copyPrompt(tokens);
 * while (len < maxLen) {
 *   float[] logits = model.nextLogits(tokens, len);   // exactly spec.vocabSize() wide
 *   tokens[len] = sampler.sample(logits, tokens, len, state);
 *   if (tokens[len++] == eos) break;
 * }
 * ledger.record(wm, tokens, promptLen, len);
 * }</pre>
 *
 * <p>Positions with fewer than h context tokens are sampled without watermark and never scored.
 * Every method checks its arguments at the boundary: a logits row of the wrong width, a NaN
 * logit or a parameter out of range is an {@link java.lang.IllegalArgumentException} that names
 * the value and the valid range.
 */
package dev.radiomark;
