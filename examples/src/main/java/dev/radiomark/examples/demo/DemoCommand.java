package dev.radiomark.examples.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm demo}: the end-to-end distillation experiment on embedded defaults. Progress goes to
 * stderr, the table to stdout, files to {@code --out}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Serve watermarked answers, distill students from them, and verify whose outputs carry the watermark.")
public final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "wm-out/demo",
      description = "output directory for results.json, report.md and the charts (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seed of the non-keyed randomness (the watermark key is always fresh; default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--quick", description = "a tenth of the data, for a first look (about a minute)")
  boolean quick;

  @Override
  public Integer call() {
    DemoConfig cfg = (quick ? DemoConfig.quick() : DemoConfig.defaults()).withSeed(seed);
    DemoResult r;
    List<Path> files;
    try (Progress p = DistillationDemo.progress(System.err)) {
      r = DistillationDemo.run(cfg, p);
      p.line("writing results.json, report.md and the charts to %s", out);
      p.status("main", "writing the report and charts");
      files = DemoReport.write(r, out);
      p.status("main", null);
    }
    PrintWriter pw = spec.commandLine().getOut();
    pw.print(DemoReport.table(r));
    for (Path f : files) {
      pw.println("wrote " + f);
    }
    pw.flush();
    return 0;
  }
}
