package io.connmgr.console;

import static io.connmgr.console.Params.put;
import static io.connmgr.console.Params.text;

import io.connmgr.Direction;
import io.connmgr.EvictionRecord;
import io.connmgr.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The evictions page's filters and page, parsed and checked from request parameters.
 *
 * @param trigger {@code operator} (operator evictions and operator-triggered rounds), {@code
 *     automatic} (everything else), one trigger's name, or empty for any
 * @param peer a substring of the peer id; empty for any
 * @param direction one direction, or null for both
 * @param within only the last this long before now, or null
 * @param from the earliest time shown (UTC), or null
 * @param to the latest time shown (UTC), or null
 * @param page the page, from 1
 * @param size rows per page
 */
record EvictionQuery(
    String trigger,
    String peer,
    @Nullable Direction direction,
    @Nullable String within,
    @Nullable LocalDateTime from,
    @Nullable LocalDateTime to,
    int page,
    int size) {

  /** The trigger filter's groups, besides each trigger's own name. */
  static final String OPERATOR = "operator-actions";

  static final String AUTOMATIC = "automatic";

  /** The offered "last ..." windows. */
  static final Map<String, Duration> WINDOWS = windows();

  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

  private static Map<String, Duration> windows() {
    Map<String, Duration> m = new LinkedHashMap<>();
    m.put("5m", Duration.ofMinutes(5));
    m.put("15m", Duration.ofMinutes(15));
    m.put("1h", Duration.ofHours(1));
    m.put("6h", Duration.ofHours(6));
    m.put("24h", Duration.ofHours(24));
    return m;
  }

  static EvictionQuery parse(Map<String, String> params) {
    String trigger = text(params, "trigger").toLowerCase(Locale.ROOT);
    if (!trigger.isEmpty() && !trigger.equals(OPERATOR) && !trigger.equals(AUTOMATIC)) {
      try {
        Trigger.valueOf(trigger.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConsoleInputException.badRequest(
            "trigger must be "
                + OPERATOR
                + ", "
                + AUTOMATIC
                + " or one of "
                + List.of(Trigger.values()).toString().toLowerCase(Locale.ROOT)
                + ", was '"
                + trigger
                + "'");
      }
    }
    String within = text(params, "within");
    if (!within.isEmpty() && !WINDOWS.containsKey(within)) {
      throw ConsoleInputException.badRequest(
          "within must be one of " + WINDOWS.keySet() + ", was '" + within + "'");
    }
    LocalDateTime from = time(params, "from");
    LocalDateTime to = time(params, "to");
    if (from != null && to != null && from.isAfter(to)) {
      throw ConsoleInputException.badRequest("from (" + from + ") is after to (" + to + ")");
    }
    return new EvictionQuery(
        trigger,
        text(params, "peer"),
        Params.direction(params),
        within.isEmpty() ? null : within,
        from,
        to,
        Params.page(params),
        Params.size(params));
  }

  private static @Nullable LocalDateTime time(Map<String, String> params, String key) {
    String v = text(params, key);
    if (v.isEmpty()) {
      return null;
    }
    try {
      return LocalDateTime.parse(v);
    } catch (DateTimeParseException e) {
      throw ConsoleInputException.badRequest(
          key + " must be a UTC time such as 2026-01-31T23:59," + " was '" + v + "'");
    }
  }

  /** Filters the records (newest first) and cuts one page. */
  EvictionPage run(List<EvictionRecord> newestFirst, Instant now) {
    Predicate<EvictionRecord> keep = filter(now);
    List<EvictionRecord> matching = new ArrayList<>();
    for (EvictionRecord r : newestFirst) {
      if (keep.test(r)) {
        matching.add(r);
      }
    }
    Paging at = Paging.of(matching.size(), page, size);
    return new EvictionPage(
        this,
        List.copyOf(matching.subList(at.from(), at.to())),
        matching.size(),
        newestFirst.size(),
        at);
  }

  private Predicate<EvictionRecord> filter(Instant now) {
    Predicate<EvictionRecord> p = r -> true;
    if (trigger.equals(OPERATOR)) {
      p = p.and(r -> EvictionArchive.byOperator(r.trigger()));
    } else if (trigger.equals(AUTOMATIC)) {
      p = p.and(r -> !EvictionArchive.byOperator(r.trigger()));
    } else if (!trigger.isEmpty()) {
      Trigger want = Trigger.valueOf(trigger.toUpperCase(Locale.ROOT));
      p = p.and(r -> r.trigger() == want);
    }
    if (!peer.isEmpty()) {
      p = p.and(r -> r.peer().value().contains(peer));
    }
    if (direction != null) {
      Direction want = direction;
      p = p.and(r -> r.direction() == want);
    }
    if (within != null) {
      Instant since = now.minus(WINDOWS.get(within));
      p = p.and(r -> !r.at().isBefore(since));
    }
    if (from != null) {
      Instant since = from.toInstant(ZoneOffset.UTC);
      p = p.and(r -> !r.at().isBefore(since));
    }
    if (to != null) {
      Instant until = to.toInstant(ZoneOffset.UTC);
      p = p.and(r -> !r.at().isAfter(until));
    }
    return p;
  }

  /** The parameters that reproduce this query's filters and size. */
  Map<String, String> filterParams() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "trigger", trigger);
    put(m, "peer", peer);
    put(m, "direction", direction == null ? "" : direction.name().toLowerCase(Locale.ROOT));
    put(m, "within", within == null ? "" : within);
    put(m, "from", from == null ? "" : MINUTES.format(from));
    put(m, "to", to == null ? "" : MINUTES.format(to));
    m.put("size", Integer.toString(size));
    return m;
  }

  /** This query's parameters with a different page. */
  Map<String, String> withPage(int newPage) {
    Map<String, String> m = filterParams();
    m.put("page", Integer.toString(newPage));
    return m;
  }
}
