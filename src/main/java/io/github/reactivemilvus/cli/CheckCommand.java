package io.github.reactivemilvus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code check}: connect every alias concurrently and print a table (SPEC §7). */
@Command(name = "check", description = "Connect every alias concurrently and print a table.")
final class CheckCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 2;
  }
}
