package io.github.reactivemilvus.client;

import java.util.List;

/**
 * What the server says about its health: whether it is healthy, its reasons when not, and its
 * quota states (for example {@code DenyToWrite}) by name.
 */
public record ServerHealth(boolean healthy, List<String> reasons, List<String> quotaStates) {
  /** Copies both lists into immutable lists; null lists throw {@link NullPointerException}. */
  public ServerHealth {
    reasons = List.copyOf(reasons);
    quotaStates = List.copyOf(quotaStates);
  }
}
