package io.connmgr.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when {@code connmgr.*} properties that are not builder settings hold values the starter
 * cannot use (peer ids that are no ids, unverified static peers, an empty pins file, the operator
 * and console settings), listing every offending property with its value and the reason, for {@link
 * ConnmgrPropertiesFailureAnalyzer}. The builder's own refusals come as {@link
 * io.connmgr.InvalidSettingsException}.
 */
public final class InvalidConnmgrPropertiesException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /** Creates the exception for at least one violation. */
  public InvalidConnmgrPropertiesException(List<Violation> violations) {
    super(describe(violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("at least one violation is needed");
    }
    this.violations = List.copyOf(violations);
  }

  /** Every offending property, in the order checked. */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    return violations.stream()
        .map(Violation::toString)
        .collect(Collectors.joining("; ", "Invalid connmgr properties: ", ""));
  }

  /**
   * One offending property.
   *
   * @param property the full property name, such as {@code connmgr.low-water}
   * @param value the bound value as text
   * @param reason why the value cannot be used
   */
  public record Violation(String property, String value, String reason) {

    @Override
    public String toString() {
      return property + " = " + value + " " + reason;
    }
  }
}
