package io.github.reactivemilvus.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A connection config (or a batch of them) is invalid. Carries every problem found, not only the
 * first, each naming its alias and field. The message lists them all and never contains a secret.
 */
public class ConnectionConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  /**
   * An exception listing the problems; its message renders them all.
   *
   * @param problems at least one problem
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public ConnectionConfigException(List<ConfigProblem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order the keys were checked. Never empty. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The distinct aliases that have a problem, in order of first appearance (nulls left out). */
  public List<String> invalidAliases() {
    return problems.stream().map(ConfigProblem::alias).filter(java.util.Objects::nonNull).distinct().toList();
  }

  private static String render(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConnectionConfigException needs at least one problem");
    }
    String head = problems.size() == 1 ? "invalid connection config: " : "invalid connection config (" + problems.size() + " problems): ";
    return head + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
  }
}
