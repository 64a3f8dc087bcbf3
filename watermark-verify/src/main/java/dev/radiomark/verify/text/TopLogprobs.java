package dev.radiomark.verify.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The {@code "top_logprobs"} field of a JSONL answer, as read: for each token of the answer's
 * text, the suspect API's most probable next tokens with their natural-log probabilities. It is
 * checked only when a command uses it ({@link #resolve}), so other commands ignore it as they
 * ignore any extra field.
 *
 * <p>JSON shape: {@code [[{"token": 17, "logprob": -0.2}, {"token": " the", "logprob": -1.9}],
 * ...]}, one list per text token, in order; a token is a non-negative integer id or a string
 * that the key's tokenizer encodes as exactly one token; each logprob is a finite number at most
 * 0; no token twice in one list. Lists may be shorter than the longest one, or empty. Immutable.
 */
public final class TopLogprobs {
  private static final String SHAPE =
      "\"top_logprobs\" must be an array (one per text token) of arrays of {\"token\", \"logprob\"}";

  private final JsonNode node;

  TopLogprobs(JsonNode node) {
    this.node = node;
  }

  /**
   * The alternatives as token ids of the key's tokenizer.
   *
   * @param k alternatives per text token: the longest list's length (at least 1)
   * @param ids {@code textTokens * k} ids, row-major; shorter lists are padded with -1
   * @param logProbs the matching natural-log probabilities (0 where the id is -1)
   */
  public record Resolved(int k, int[] ids, float[] logProbs) {}

  /**
   * Checks the field and resolves it against the key's tokenizer.
   *
   * @param tokenizer the key's tokenizer
   * @param textTokens the number of tokens of the answer's text under that tokenizer
   * @param source the input's name, for error messages
   * @param lineNumber the record's line, for error messages
   * @return the alternatives
   * @throws InputFormatException ({@code source:line}) if the shape is wrong, the lists do not
   *     match the text's tokens one to one, a logprob is not finite and at most 0, an id is
   *     outside the vocabulary, a string is not one token, or a token repeats within a list
   */
  public Resolved resolve(TextTokenizer tokenizer, int textTokens, String source, int lineNumber) {
    if (!node.isArray()) {
      throw new InputFormatException(source, lineNumber, SHAPE + ", got " + JsonlReader.describe(node));
    }
    int k = 1;
    for (int r = 0; r < node.size(); r++) {
      JsonNode row = node.get(r);
      if (!row.isArray()) {
        throw new InputFormatException(source, lineNumber,
            String.format(Locale.ROOT, "%s: [%d] is %s", SHAPE, r, JsonlReader.describe(row)));
      }
      k = Math.max(k, row.size());
    }
    if (node.size() != textTokens) {
      throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
          "\"top_logprobs\" has %d lists but the text has %d tokens under %s: one list per text token",
          node.size(), textTokens, tokenizer.name()));
    }
    if ((long) textTokens * k > Integer.MAX_VALUE - 8) {
      throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
          "\"top_logprobs\" is too large: %d text tokens x %d alternatives", textTokens, k));
    }
    int v = tokenizer.vocabSize();
    int[] ids = new int[textTokens * k];
    float[] lps = new float[textTokens * k];
    java.util.Arrays.fill(ids, -1);
    for (int r = 0; r < textTokens; r++) {
      JsonNode row = node.get(r);
      for (int j = 0; j < row.size(); j++) {
        JsonNode x = row.get(j);
        JsonNode tok = x.isObject() ? x.get("token") : null;
        JsonNode lp = x.isObject() ? x.get("logprob") : null;
        String at = String.format(Locale.ROOT, "\"top_logprobs\"[%d][%d]", r, j);
        if (tok == null || lp == null) {
          throw new InputFormatException(source, lineNumber,
              at + " must be an object with \"token\" and \"logprob\", got " + JsonlReader.describe(x));
        }
        int id;
        if (tok.isTextual()) {
          if (tokenizer instanceof TokenIdsOnly) {
            throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
                "%s: the key's vocabulary %s has no tokenizer: give \"token\" as an id", at, tokenizer.name()));
          }
          int[] enc = Utf8.firstUnpairedSurrogate(tok.textValue()) >= 0 ? new int[0] : tokenizer.encode(tok.textValue());
          if (enc.length != 1) {
            throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
                "%s: \"token\" is not one token of %s (%d tokens)", at, tokenizer.name(), enc.length));
          }
          id = enc[0];
        } else if (tok.isIntegralNumber() && tok.canConvertToInt() && tok.intValue() >= 0) {
          id = tok.intValue();
          if (id >= v) {
            throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
                "%s: \"token\" is not a token id of %s, not in [0, %d): %d", at, tokenizer.name(), v, id));
          }
        } else {
          throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
              "%s: \"token\" is not a token id (an integer in [0, %d]) or a string: %s", at, Integer.MAX_VALUE, tok));
        }
        double p = lp.isNumber() ? lp.doubleValue() : Double.NaN;
        if (!(p <= 0) || Float.isInfinite((float) p)) {
          throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
              "%s: \"logprob\" is not a finite number <= 0: %s", at, lp));
        }
        for (int i = r * k; i < r * k + j; i++) {
          if (ids[i] == id) {
            throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
                "\"top_logprobs\"[%d] lists token %d twice (entries %d and %d)", r, id, i - r * k, j));
          }
        }
        ids[r * k + j] = id;
        lps[r * k + j] = (float) p;
      }
    }
    return new Resolved(k, ids, lps);
  }

  /** Nothing of the content: alternatives may be confidential. */
  @Override
  public String toString() {
    return "TopLogprobs[" + (node.isArray() ? node.size() + " lists" : "not an array") + "]";
  }
}
