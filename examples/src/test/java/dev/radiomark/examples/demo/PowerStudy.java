package dev.radiomark.examples.demo;

import dev.radiomark.examples.lm.NeuralConfig;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The power study of docs/power.md (a plain {@code main}, not a test): runs the demo's pipeline
 * with one setting given as {@code name=value} arguments and prints one line per row. Names:
 * {@code h delta gamma rhos(comma list) order ctx emb hidden epochs outv lr batch train topk probes
 * student seed quiet closedk} ({@code closedk=K}: closed mode on the students' top-K log-probabilities,
 * {@link DemoConfig#closedTopK}). With {@code -Dradiomark.demo.readingOnly=true} closed mode is skipped.
 */
public final class PowerStudy {
  private PowerStudy() {
  }

  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String s : args) {
      int i = s.indexOf('=');
      a.put(s.substring(0, i), s.substring(i + 1));
    }
    DemoConfig d = DemoConfig.defaults();
    NeuralConfig n = NeuralConfig.withDefaults()
        .withContextSize(Integer.parseInt(a.getOrDefault("ctx", "3")))
        .withEmbeddingDim(Integer.parseInt(a.getOrDefault("emb", "48")))
        .withHiddenDim(Integer.parseInt(a.getOrDefault("hidden", "96")))
        .withEpochs(Integer.parseInt(a.getOrDefault("epochs", "1")))
        .withOutputVocab(Integer.parseInt(a.getOrDefault("outv", "2048")))
        .withLearningRate(Double.parseDouble(a.getOrDefault("lr", "0.005")))
        .withBatchSize(Integer.parseInt(a.getOrDefault("batch", "512")));
    List<Double> rhos = new ArrayList<>();
    for (String r : a.getOrDefault("rhos", "0,0.05").split(",")) {
      rhos.add(Double.parseDouble(r));
    }
    d = d.withWatermark(Double.parseDouble(a.getOrDefault("gamma", "0.25")),
            Double.parseDouble(a.getOrDefault("delta", "3")), Integer.parseInt(a.getOrDefault("h", "2")))
        .withRhos(rhos)
        .withStudents(Integer.parseInt(a.getOrDefault("order", "3")), n,
            Integer.parseInt(a.getOrDefault("train", "150000")), Integer.parseInt(a.getOrDefault("topk", "0")))
        .withProbeTokens(Integer.parseInt(a.getOrDefault("probes", "200000")))
        .withSeed(Long.parseLong(a.getOrDefault("seed", "1")))
        .withClosedTopK(Integer.parseInt(a.getOrDefault("closedk", "0")));
    if (a.containsKey("student")) {
      int st = Integer.parseInt(a.get("student"));
      d = new DemoConfig(d.seed(), d.gamma(), d.delta(), d.contextWidth(), d.promptTokens(), d.answerTokens(),
          d.candidates(), d.temperature(), d.topP(), st, d.rhos(), d.closedAnswers(), d.closedBudget(),
          d.probeTokens(), d.readingBudget(), d.neuralTrainTokens(), d.alpha(), d.ngramOrder(), d.neural(),
          d.readingTopK(), d.closedTopK());
    }
    PrintStream log = a.containsKey("quiet") ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
    DemoResult r = DistillationDemo.run(d, log);
    System.out.printf(Locale.ROOT, "# %s%n", String.join(" ", args));
    for (DemoRow row : r.rows()) {
      System.out.printf(Locale.ROOT, "%-7s %-5s %-10s %-3s %8d %.4f %9.2f %s%n", row.student(),
          row.control() ? "ctl" : String.valueOf(row.rho()), row.mode(), row.supervised() ? "sup" : "-",
          row.result().tuplesScored(), row.result().rate(), row.result().log10P(), row.verdict().word());
    }
    System.out.printf(Locale.ROOT, "# wall %.1f s%n", r.seconds());
  }
}
