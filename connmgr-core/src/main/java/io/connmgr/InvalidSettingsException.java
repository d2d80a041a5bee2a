package io.connmgr;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link ConnectionManager.Builder#build()} when the settings cannot make a manager; it
 * lists every violation at once, each naming its {@link Setting}, so a configuration is fixed in
 * one go. An {@link IllegalArgumentException}, as the builder's refusals always were.
 */
public final class InvalidSettingsException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /**
   * Creates the exception.
   *
   * @param violations at least one
   * @throws IllegalArgumentException if there is none
   */
  public InvalidSettingsException(List<Violation> violations) {
    super(describe(violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an InvalidSettingsException needs a violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** Every violation, in the order of {@link Setting}. */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    return violations.stream()
        .map(Violation::toString)
        .collect(Collectors.joining("\n  ", "Invalid connection manager settings:\n  ", ""));
  }

  /**
   * One setting's problem.
   *
   * @param setting the setting whose value is wrong
   * @param key which entry of a setting that has several: the scorer name of {@link
   *     Setting#SCORER_WEIGHT}; null otherwise
   * @param value the value as given, as text
   * @param message what is wrong and what would be right, without the setting's name (which a
   *     caller writes its own way: {@code lowWater}, {@code connmgr.low-water})
   * @param related other settings the problem involves, such as high water for a low water above it
   */
  public record Violation(
      Setting setting, @Nullable String key, String value, String message, List<Setting> related) {

    /** Checks and copies. */
    public Violation {
      Objects.requireNonNull(setting, "setting");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(message, "message");
      related = List.copyOf(related);
    }

    /** {@code lowWater = 700: must not be above high water (500): ... (see also highWater)}. */
    @Override
    public String toString() {
      String name =
          key == null ? setting.builderName() : setting.builderName() + "(\"" + key + "\")";
      String also =
          related.isEmpty()
              ? ""
              : related.stream()
                  .map(Setting::builderName)
                  .collect(Collectors.joining(", ", " (see also ", ")"));
      return name + " = " + value + ": " + message + also;
    }
  }
}
