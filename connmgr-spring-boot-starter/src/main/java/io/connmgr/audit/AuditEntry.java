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

  /** The entry as one log line; control characters in names are escaped, so one entry, one line. */
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
              } else if (Character.isISOControl(cp)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.append('"').toString();
  }
}
