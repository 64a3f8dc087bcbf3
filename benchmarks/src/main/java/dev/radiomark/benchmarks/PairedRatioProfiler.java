package dev.radiomark.benchmarks;

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
 * The ratio of one {@link PairedStepBenchmark} iteration: the scheme's summed CPU (and wall) time
 * over the reference's, and each one's time per step, in microseconds. Secondary results
 * {@code paired.cpu.ratio}, {@code paired.wall.ratio}, {@code paired.reference.cpu.us},
 * {@code paired.scheme.cpu.us} and {@code paired.added.cpu.us}, averaged over iterations by JMH.
 * The benchmark thread writes the sums; JMH calls this profiler between iterations, when that
 * thread is parked, in the same JVM.
 */
public final class PairedRatioProfiler implements InternalProfiler {
  private static long referenceCpu;
  private static long referenceWall;
  private static long referenceSteps;
  private static long schemeCpu;
  private static long schemeWall;
  private static long schemeSteps;

  /** Used by JMH. */
  public PairedRatioProfiler() {}

  static void addReference(long cpuNanos, long wallNanos, int steps) {
    referenceCpu += cpuNanos;
    referenceWall += wallNanos;
    referenceSteps += steps;
  }

  static void addScheme(long cpuNanos, long wallNanos, int steps) {
    schemeCpu += cpuNanos;
    schemeWall += wallNanos;
    schemeSteps += steps;
  }

  @Override
  public String getDescription() {
    return "scheme / reference time, step against step in one JVM (PairedStepBenchmark)";
  }

  @Override
  public synchronized void beforeIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams) {
    referenceCpu = referenceWall = referenceSteps = 0;
    schemeCpu = schemeWall = schemeSteps = 0;
  }

  @Override
  public synchronized Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    if (referenceSteps == 0 || schemeSteps == 0 || referenceCpu <= 0) {
      return List.of();
    }
    double refUs = referenceCpu / 1e3 / referenceSteps;
    double schemeUs = schemeCpu / 1e3 / schemeSteps;
    double wallRatio = (schemeWall / (double) schemeSteps) / (referenceWall / (double) referenceSteps);
    return List.of(
        new ScalarResult("paired.cpu.ratio", schemeUs / refUs, "ratio", AggregationPolicy.AVG),
        new ScalarResult("paired.wall.ratio", wallRatio, "ratio", AggregationPolicy.AVG),
        new ScalarResult("paired.reference.cpu.us", refUs, "us/step", AggregationPolicy.AVG),
        new ScalarResult("paired.scheme.cpu.us", schemeUs, "us/step", AggregationPolicy.AVG),
        new ScalarResult("paired.added.cpu.us", schemeUs - refUs, "us/step", AggregationPolicy.AVG));
  }
}
