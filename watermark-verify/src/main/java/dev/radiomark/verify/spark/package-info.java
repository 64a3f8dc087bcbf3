/**
 * Detection on Apache Spark: {@link dev.radiomark.verify.spark.SparkScan} scores JSON Lines or
 * Parquet under one or many keys (for example the tenant sub-keys of one master key), with the
 * tuples de-duplicated exactly across the whole input, and returns the same per-record and pooled
 * results as {@code wm detect}. The only package that uses Spark; Spark itself is a
 * {@code provided}, optional dependency that the cluster (or {@code wm scan}'s launcher) supplies.
 */
package dev.radiomark.verify.spark;
