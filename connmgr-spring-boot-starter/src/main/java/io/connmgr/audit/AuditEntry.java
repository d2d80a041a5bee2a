package io.connmgr.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One operator action on record.
 *
 * @param at when it was done
 * @param principal who did it ({@link Operator#name()})
 * @param source where from
 * @param action what
 * @param target on what: a peer id, a connection with its peer, or {@code manager} for a trim
 * @param result whether it was carried out, tried without effect, or refused
 * @param outcome one line saying what happened; for a trim, the round's summary and start
 */
public record AuditEntry(
    Instant at,
    String principal,
    ActionSource source,
    OperatorAction action,
    String target,
    AuditResult result,
    String outcome) {

  /** Checks the arguments. */
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Whether it was carried out. */
  public boolean succeeded() {
    return result == AuditResult.DONE;
  }

  /**
   * The entry as one log line; control, separator and invisible format characters are escaped (as a
   * backslash-u escape), so one entry, one line, and what it shows is what it holds.
   */
  @Override
  public String toString() {
    return "principal="
        + quoted(principal)
        + " source="
        + lower(source)
        + " action="
        + lower(action)
        + " target="
        + quoted(target)
        + " result="
        + lower(result)
        + " outcome="
        + quoted(outcome);
  }

  /**
   * Whether {@code cp} would not show as itself: a control, a line or paragraph separator, or an
   * invisible format character (bidi overrides, zero-width characters), which would break the log
   * line or disguise its text, as {@link io.connmgr.PeerId} forbids in ids.
   */
  public static boolean hidden(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          true;
      default -> false;
    };
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String quoted(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
              } else if (hidden(cp)) {
                for (char c : Character.toChars(cp)) {
                  out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.append('"').toString();
  }
}
