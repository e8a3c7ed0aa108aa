package io.github.reactivemilvus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/milvus-connections}. */
@Command(
    name = "milvus-connections",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Check and resolve Milvus connection configs.",
    subcommands = {CheckCommand.class, ResolveCommand.class})
public final class MilvusConnectionsCli {
  public static void main(String[] args) {
    System.exit(new CommandLine(new MilvusConnectionsCli()).execute(args));
  }
}
