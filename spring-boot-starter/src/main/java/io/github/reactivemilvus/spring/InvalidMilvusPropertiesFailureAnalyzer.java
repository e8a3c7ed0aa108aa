package io.github.reactivemilvus.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints every problem of the Milvus connection properties when the application fails to start,
 * one per line as {@code milvus.connections.<alias>.<key>: <reason>}, never a password or token.
 */
final class InvalidMilvusPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMilvusPropertiesException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidMilvusPropertiesException cause) {
    int n = cause.problems().size();
    String description = "The Milvus connection properties have " + n + (n == 1 ? " problem" : " problems")
        + ":\n\n    " + String.join("\n    ", cause.problems()) + "\n";
    String action = "Fix the properties listed above. Accepted keys under milvus.connections.<alias> are: "
        + String.join(", ", ConnectionProperties.propertyKeys()) + ".";
    return new FailureAnalysis(description, action, cause);
  }

}
