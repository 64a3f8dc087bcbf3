/**
 * {@code wm evaluate}: watermarked and unwatermarked answers of the demo teacher, attacks on them
 * (edits, spelling rewrites, copy-paste dilution, paraphrase by another model, watermark
 * stealing and scrubbing), and what detection keeps, with the watermark's quality cost.
 */
package dev.radiomark.examples.evaluate;
