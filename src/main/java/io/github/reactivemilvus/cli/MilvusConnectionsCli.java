package io.github.reactivemilvus.cli;

import io.github.reactivemilvus.internal.Internal;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/milvus-connections}. */
@Command(
    name = "milvus-connections",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Check and resolve Milvus connection configs.",
    subcommands = {CheckCommand.class, ResolveCommand.class})
@Internal
public final class MilvusConnectionsCli {
  /**
   * Runs the command line and exits the JVM with the command's exit status (0 all good, 1 an alias or line
   * failed, 2 an invalid config or usage; see the README).
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new MilvusConnectionsCli()).execute(args));
  }
}
