package dev.radiomark.examples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress lines of a long run, each stamped with the seconds since the start, that never go
 * quiet: tasks say what they are doing ({@link #status}), and when no line has been printed for
 * {@code quietNanos} a background thread prints what every task is doing and for how long.
 * Thread-safe.
 */
final class Progress implements AutoCloseable {
  private final PrintStream log;
  private final LongSupplier clock;
  private final long start;
  private final long quietNanos;
  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker;
  private long last;

  private record Phase(String what, long since) {}

  /**
   * Starts the heartbeat.
   *
   * @param log where the lines go
   * @param quietNanos the longest silence before a heartbeat line, at least 1 ms
   * @param tickNanos how often the heartbeat checks, at most {@code quietNanos}
   */
  Progress(PrintStream log, long quietNanos, long tickNanos) {
    this(log, quietNanos, tickNanos, System::nanoTime);
  }

  Progress(PrintStream log, long quietNanos, long tickNanos, LongSupplier clock) {
    this.log = log;
    this.clock = clock;
    this.quietNanos = quietNanos;
    this.start = clock.getAsLong();
    this.last = start;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  /** Prints one stamped line. */
  synchronized void line(String fmt, Object... args) {
    long now = clock.getAsLong();
    log.printf(Locale.ROOT, "[%6.1fs] %s%n", (now - start) / 1e9, String.format(Locale.ROOT, fmt, args));
    log.flush();
    last = now;
  }

  /**
   * Sets what a task is doing, shown by the heartbeat; prints nothing itself.
   *
   * @param task the task's name, for example {@code "neural rho=0.05"}
   * @param what what it does now, or {@code null} when it is done
   */
  synchronized void status(String task, String what) {
    if (what == null) {
      phases.remove(task);
    } else {
      phases.put(task, new Phase(what, clock.getAsLong()));
    }
  }

  /** Seconds since the start. */
  double seconds() {
    return (clock.getAsLong() - start) / 1e9;
  }

  synchronized void tick() {
    long now = clock.getAsLong();
    if (now - last < quietNanos) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Phase> e : phases.entrySet()) {
      parts.add(String.format(Locale.ROOT, "%s: %s (%.0f s)", e.getKey(), e.getValue().what(),
          (now - e.getValue().since()) / 1e9));
    }
    line("still working: %s", parts.isEmpty() ? "finishing" : String.join("; ", parts));
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
