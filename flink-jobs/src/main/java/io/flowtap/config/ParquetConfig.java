package io.flowtap.config;

/**
 * {@code flowtap-sink-parquet.json}: where the Parquet datasets go and which are written.
 *
 * @param path the directory (or file system URI) holding one directory per dataset, expanded
 * @param flows whether the {@code flows} dataset is written
 * @param aggregates whether the {@code aggregate_type<N>} datasets are written
 * @param intel whether the {@code intel} dataset is written
 */
public record ParquetConfig(String path, boolean flows, boolean aggregates, boolean intel) {}
