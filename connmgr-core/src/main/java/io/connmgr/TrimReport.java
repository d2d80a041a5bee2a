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
 * @param skipped how many open connections each reason held back
 * @param vetoes how many candidates each veto (by name) vetoed
 * @param stalledOn the callback (closer, veto or lease listener) the round stopped waiting for
 *     because it made no progress within the callback budget; null when the round finished. The
 *     round's remaining work then goes on in the background and its evictions reach the history
 *     and the listeners, not this report.
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
    @Nullable String stalledOn) {

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
  }

  /** Whether the round ran to its end rather than stopping at a stalled callback. */
  public boolean finished() {
    return stalledOn == null;
  }

  /** Whether the round closed as many connections as it set out to. */
  public boolean reachedTarget() {
    return evicted.size() >= target;
  }

  /** How many connections held back for {@code reason}. */
  public int skipped(SkipReason reason) {
    Objects.requireNonNull(reason, "reason");
    return skipped.get(reason);
  }

  /** A one-line summary for logs and health details. */
  public String summary() {
    StringBuilder s = new StringBuilder()
        .append(trigger).append(" round closed ").append(evicted.size())
        .append(" of ").append(target).append(" wanted");
    StringBuilder held = new StringBuilder();
    skipped.forEach((reason, n) -> {
      if (n > 0) {
        held.append(held.length() == 0 ? "" : ", ").append(n).append(' ')
            .append(reason.name().toLowerCase(java.util.Locale.ROOT));
      }
    });
    if (held.length() > 0) {
      s.append("; held back: ").append(held);
    }
    if (stalledOn != null) {
      s.append("; stopped waiting for ").append(stalledOn);
    }
    return s.toString();
  }
}
