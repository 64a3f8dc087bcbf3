package dev.radiomark.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation ({@code cpu.time.norm}, microseconds), beside JMH's wall time: the sum
 * of the CPU clocks of all Java threads of the benchmark JVM (benchmark, JMH and JIT threads;
 * GC threads are not Java threads and are not counted).
 * On a shared machine, time spent descheduled inflates wall time but not CPU time, so ratios of
 * CPU times are the steadier comparison there. It covers the whole iteration (JIT work included,
 * small once warmed up), so it slightly over-states a single-threaded operation.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private long start;

  /** Used by JMH. */
  public CpuTimeProfiler() {}

  private static long cpuNanos() {
    // Sum over Java threads (nanosecond clocks); the process clock ticks only every 10 ms.
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    if (!t.isThreadCpuTimeSupported()) {
      return -1;
    }
    long sum = 0;
    for (long id : t.getAllThreadIds()) {
      long c = t.getThreadCpuTime(id);
      if (c > 0) {
        sum += c;
      }
    }
    return sum;
  }

  @Override
  public String getDescription() {
    return "CPU time of the Java threads per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = cpuNanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long end = cpuNanos();
    long ops = result.getMetadata().getAllOps();
    if (start < 0 || end < 0 || ops <= 0) {
      return List.of();
    }
    return List.of(new ScalarResult("cpu.time.norm", (end - start) / 1e3 / ops, "us/op",
        AggregationPolicy.AVG));
  }
}
