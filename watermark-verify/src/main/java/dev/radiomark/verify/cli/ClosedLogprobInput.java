package dev.radiomark.verify.cli;

import dev.radiomark.verify.radioactivity.Answer;
import dev.radiomark.verify.radioactivity.AnswerLogprobs;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import dev.radiomark.verify.text.TopLogprobs;

/** An answer's {@code "top_logprobs"} for closed mode with --top-k, errors naming FILE:LINE. */
final class ClosedLogprobInput {
  private ClosedLogprobInput() {}

  static AnswerLogprobs of(Answer a, TextRecord r, TextTokenizer tok, String source) {
    if (r.topLogprobs() == null) {
      throw new InputFormatException(source, r.lineNumber(),
          "--top-k in closed mode needs \"top_logprobs\" on every answer: missing");
    }
    TopLogprobs.Resolved x = r.topLogprobs().resolve(tok, a.text().length, source, r.lineNumber());
    return new AnswerLogprobs(a, x.k(), x.ids(), x.logProbs());
  }
}
