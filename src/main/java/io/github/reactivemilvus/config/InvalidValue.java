package io.github.reactivemilvus.config;

/**
 * A single config value that cannot be used; the resolver turns it into a {@link ConfigProblem}
 * for the key being read. Checked so that every conversion site has to decide which key it
 * reports; without a stack trace because it is part of normal control flow.
 */
final class InvalidValue extends Exception {
  private static final long serialVersionUID = 1L;

  private final String message;

  InvalidValue(String message) {
    super(message, null, false, false);
    this.message = message;
  }

  /** Never null: every invalid value is reported with what is wrong with it. */
  @Override
  public String getMessage() {
    return message;
  }
}
