/**
 * Text in, token ids out: tokenizers, Unicode normalization and input readers.
 *
 * <p>{@link dev.radiomark.verify.text.TextTokenizer} wraps the offline jtokkit byte-pair
 * encodings ({@code o200k_base}, {@code cl100k_base}), loads the tokenizers of open models from
 * their files (a Hugging Face {@code tokenizer.json} through DJL, optional, only in
 * {@code HfTokenizer}; a tiktoken rank file through jtokkit), names each by its identity (kind,
 * file name, SHA-256 of the content) and checks that a key and a tokenizer agree. {@link dev.radiomark.verify.text.Normalization} optionally applies
 * NFC before tokenizing, so that canonically equivalent copies of a text score the same.
 * {@link dev.radiomark.verify.text.JsonlReader} and
 * {@link dev.radiomark.verify.text.PlainTextReader} turn strict UTF-8 input into
 * {@link dev.radiomark.verify.text.TextRecord}s and report bad input with an
 * {@link dev.radiomark.verify.text.InputFormatException} naming the source and the line.
 */
package dev.radiomark.verify.text;
