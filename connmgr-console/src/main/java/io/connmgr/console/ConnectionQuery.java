package io.connmgr.console;

import static io.connmgr.console.Params.bool;
import static io.connmgr.console.Params.number;
import static io.connmgr.console.Params.plain;
import static io.connmgr.console.Params.put;
import static io.connmgr.console.Params.text;

import io.connmgr.Direction;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The connections page's filters, sort and page, parsed and checked from request parameters; a
 * parameter out of its range is a {@link ConsoleInputException} (400), never a silent default.
 *
 * @param peer a substring of the peer id; empty for any
 * @param direction one direction, or null for both
 * @param protocol a substring of a stream protocol; empty for any
 * @param protectedPeer whether the peer is protected, or null for either
 * @param leased whether a lease is active, or null for either
 * @param minScore the lowest score shown, or null
 * @param maxScore the highest score shown, or null
 * @param sort the column sorted on
 * @param descending whether the sort is descending
 * @param page the page, from 1
 * @param size rows per page
 */
record ConnectionQuery(
    String peer,
    @Nullable Direction direction,
    String protocol,
    @Nullable Boolean protectedPeer,
    @Nullable Boolean leased,
    @Nullable Double minScore,
    @Nullable Double maxScore,
    Sort sort,
    boolean descending,
    int page,
    int size) {

  /** The columns the table sorts on. */
  enum Sort {
    CLOSING,
    ID,
    PEER,
    DIRECTION,
    AGE,
    STREAMS,
    SCORE,
    LEASE
  }

  /** Parses the request parameters; absent or blank parameters take their default. */
  static ConnectionQuery parse(Map<String, String> params) {
    String peer = text(params, "peer");
    String protocol = text(params, "protocol");
    Direction direction = Params.direction(params);
    Double min = number(params, "minScore");
    Double max = number(params, "maxScore");
    if (min != null && max != null && min > max) {
      throw ConsoleInputException.badRequest(
          "minScore (" + min + ") is above maxScore (" + max + ")");
    }
    String s = text(params, "sort");
    Sort sort = Sort.CLOSING;
    if (!s.isEmpty()) {
      try {
        sort = Sort.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConsoleInputException.badRequest(
            "sort must be one of "
                + Arrays.toString(Sort.values()).toLowerCase(Locale.ROOT)
                + ", was '"
                + s
                + "'");
      }
    }
    String order = text(params, "order");
    if (!order.isEmpty() && !order.equals("asc") && !order.equals("desc")) {
      throw ConsoleInputException.badRequest("order must be asc or desc, was '" + order + "'");
    }
    int page = Params.page(params);
    int size = Params.size(params);
    return new ConnectionQuery(
        peer,
        direction,
        protocol,
        bool(params, "protected"),
        bool(params, "leased"),
        min,
        max,
        sort,
        order.equals("desc"),
        page,
        size);
  }

  /** Runs the query over a view: filters, sorts the matching indices, cuts one page. */
  ConnectionPage run(ConsoleData.View view) {
    int n = view.size();
    IntPredicate keep = filter(view);
    boolean inClosingOrder = sort == Sort.CLOSING && !descending;
    int[] order = inClosingOrder ? view.byClosing() : null;
    int[] matching = new int[n];
    int count = 0;
    for (int j = 0; j < n; j++) {
      int i = order == null ? j : order[j];
      if (keep.test(i)) {
        matching[count++] = i;
      }
    }
    Paging at = Paging.of(count, page, size);
    int[] chosen = select(view, Arrays.copyOf(matching, count), at.to());
    int[] rows = Arrays.copyOfRange(chosen, Math.min(at.from(), chosen.length), at.to());
    return new ConnectionPage(this, view, rows, count, n, at.page(), at.pages());
  }

  private IntPredicate filter(ConsoleData.View v) {
    IntPredicate p = i -> true;
    if (!peer.isEmpty()) {
      String needle = peer;
      p = p.and(i -> v.peerIds[i].contains(needle));
    }
    if (direction != null) {
      Direction want = direction;
      p = p.and(i -> v.connections[i].direction() == want);
    }
    if (!protocol.isEmpty()) {
      String needle = protocol;
      p = p.and(i -> v.protocols[i].contains(needle));
    }
    if (protectedPeer != null) {
      boolean want = protectedPeer;
      p = p.and(i -> v.protectedPeer[i] == want);
    }
    if (leased != null) {
      boolean want = leased;
      p = p.and(i -> (v.leaseLeftMillis[i] >= 0) == want);
    }
    if (minScore != null) {
      double bound = minScore;
      p = p.and(i -> v.scores[i] >= bound);
    }
    if (maxScore != null) {
      double bound = maxScore;
      p = p.and(i -> v.scores[i] <= bound);
    }
    return p;
  }

  /**
   * The first {@code upTo} matching indices in sort order. Each sort key is an int per row, packed
   * with the row index into a long, so one primitive sort orders 100 000 rows in milliseconds; the
   * index breaks ties, and the snapshot lists connections by ascending id.
   */
  private int[] select(ConsoleData.View v, int[] matching, int upTo) {
    if (!descending && (sort == Sort.ID || sort == Sort.CLOSING)) {
      return matching; // already in order: ids ascend in the snapshot, closing order was walked
    }
    long[] packed = new long[matching.length];
    for (int j = 0; j < matching.length; j++) {
      int i = matching[j];
      long key = key(v, i);
      packed[j] = (descending ? -key : key) << 32 | i;
    }
    java.util.Arrays.sort(packed);
    int[] out = new int[Math.min(upTo, packed.length)];
    for (int j = 0; j < out.length; j++) {
      out[j] = (int) packed[j];
    }
    return out;
  }

  /** The row's sort key as an int (widened so that negating it never overflows). */
  private long key(ConsoleData.View v, int i) {
    return switch (sort) {
      case CLOSING -> v.closingRank[i];
      case ID -> i;
      case PEER -> v.peerRank()[i];
      case DIRECTION -> v.connections[i].direction().ordinal();
      case AGE -> (int) Math.min(Integer.MAX_VALUE, v.ageMillis[i]);
      case STREAMS -> v.connections[i].streamCount();
      case SCORE -> sortable(v.scores[i]);
      case LEASE -> (int) Math.min(Integer.MAX_VALUE, v.leaseLeftMillis[i]);
    };
  }

  /** An int whose order is the order of the float nearest {@code d}; NaN sorts last. */
  static int sortable(double d) {
    if (Double.isNaN(d)) {
      return Integer.MAX_VALUE;
    }
    int bits = Float.floatToIntBits((float) d);
    return bits ^ (bits >> 31 & 0x7fffffff);
  }

  /** The parameters that reproduce this query, for links; page and sort left to the caller. */
  Map<String, String> filterParams() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "peer", peer);
    put(m, "direction", direction == null ? "" : direction.name().toLowerCase(Locale.ROOT));
    put(m, "protocol", protocol);
    put(m, "protected", protectedPeer == null ? "" : protectedPeer ? "yes" : "no");
    put(m, "leased", leased == null ? "" : leased ? "yes" : "no");
    put(m, "minScore", minScore == null ? "" : plain(minScore));
    put(m, "maxScore", maxScore == null ? "" : plain(maxScore));
    return m;
  }

  /** This query's parameters with a different page. */
  Map<String, String> withPage(int newPage) {
    Map<String, String> m = filterParams();
    m.put("sort", sort.name().toLowerCase(Locale.ROOT));
    m.put("order", descending ? "desc" : "asc");
    m.put("size", Integer.toString(size));
    m.put("page", Integer.toString(newPage));
    return m;
  }

  /** This query's parameters sorted on {@code column}, toggling the order if already sorted. */
  Map<String, String> sortedOn(String column) {
    Map<String, String> m = filterParams();
    boolean same = sort.name().equalsIgnoreCase(column);
    m.put("sort", column);
    m.put("order", same && !descending ? "desc" : "asc");
    m.put("size", Integer.toString(size));
    return m;
  }
}
