package io.connmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one round: what it closed and what held the other connections back.
 *
 * @param trigger what started the round
 * @param startedAt when it started
 * @param took how long it ran
 * @param target how many connections it set out to close
 * @param connectionsBefore the open connections when it started
 * @param evicted one record per closed connection, in the order they were closed
 * @param skipped how many open connections each reason held back; every reason present, zero when
 *     none
 * @param vetoes how many candidates each veto (by name) vetoed
 * @param stalledOn the callback (closer, veto or lease listener) the round stopped waiting for
 *     because it made no progress within the callback budget; null when the round finished. The
 *     round's remaining work then goes on in the background and its evictions reach the history and
 *     the listeners, not this report.
 * @param shortfall the closes it did not make, by cause; every cause present, zero when none.
 *     {@code evicted().size()} plus their sum is always {@code target}
 * @param unanswered the scorers that gave no answer in time this round (a call ran past the scorer
 *     budget, or an earlier one still has not returned); their connections kept their last KEEP or
 *     went after every connection whose score was known
 */
public record TrimReport(
    Trigger trigger,
    Instant startedAt,
    Duration took,
    int target,
    int connectionsBefore,
    List<EvictionRecord> evicted,
    Map<SkipReason, Integer> skipped,
    Map<String, Integer> vetoes,
    @Nullable String stalledOn,
    Map<Shortfall, Integer> shortfall,
    List<String> unanswered) {

  /** Copies the collections; the skip map always holds every reason. */
  public TrimReport {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(took, "took");
    evicted = List.copyOf(evicted);
    EnumMap<SkipReason, Integer> all = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      all.put(reason, skipped.getOrDefault(reason, 0));
    }
    skipped = java.util.Collections.unmodifiableMap(all);
    vetoes = Map.copyOf(vetoes);
    EnumMap<Shortfall, Integer> causes = new EnumMap<>(Shortfall.class);
    for (Shortfall cause : Shortfall.values()) {
      causes.put(cause, shortfall.getOrDefault(cause, 0));
    }
    shortfall = java.util.Collections.unmodifiableMap(causes);
    unanswered = List.copyOf(unanswered);
  }

  /** Whether the round closed as many connections as it set out to. */
  public boolean reachedTarget() {
    return evicted.size() >= target;
  }

  /** A one-line summary for logs and health details. */
  public String summary() {
    StringBuilder s =
        new StringBuilder()
            .append(trigger)
            .append(" round closed ")
            .append(evicted.size())
            .append(" of ")
            .append(target)
            .append(" wanted");
    StringBuilder held = new StringBuilder();
    skipped.forEach(
        (reason, n) -> {
          if (n > 0) {
            held.append(held.length() == 0 ? "" : ", ")
                .append(n)
                .append(' ')
                .append(reason.name().toLowerCase(java.util.Locale.ROOT));
          }
        });
    StringBuilder missing = new StringBuilder();
    shortfall.forEach(
        (cause, n) -> {
          if (n > 0) {
            missing
                .append(missing.length() == 0 ? "" : ", ")
                .append(n)
                .append(' ')
                .append(cause.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
          }
        });
    if (missing.length() > 0) {
      s.append("; short by ").append(target - evicted.size()).append(": ").append(missing);
    }
    if (held.length() > 0) {
      s.append("; held back: ").append(held);
    }
    if (!unanswered.isEmpty()) {
      s.append("; no answer in time from scorer ").append(String.join(", ", unanswered));
    }
    if (stalledOn != null) {
      s.append("; stopped waiting for ").append(stalledOn);
    }
    return s.toString();
  }
}
