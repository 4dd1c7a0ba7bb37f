package dev.ancla.bench;

import picocli.CommandLine.Command;

/**
 * Benchmarks against the ChromaDB baseline (docs/BENCHMARKS.md). Hidden: a tool for the project,
 * not part of the user-facing CLI. Benchmarks never run in the test suite.
 */
@Command(
    name = "bench",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Benchmarks on the ChromaDB baseline's synthetic corpus (docs/BENCHMARKS.md).",
    subcommands = {
      SyntheticCommand.class,
      FirstQueryCommand.class,
      ColdStartCommand.class,
      QueriesCommand.class,
      AotTrainCommand.class,
    })
public final class BenchCommand {}
