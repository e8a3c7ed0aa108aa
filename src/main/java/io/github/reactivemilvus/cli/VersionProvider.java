package io.github.reactivemilvus.cli;

import io.github.reactivemilvus.ReactiveConnections;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"milvus-connections " + ReactiveConnections.libraryVersion()};
  }
}
