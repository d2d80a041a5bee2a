package io.connmgr.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A peer's tags copied at one instant (plain tags in the order first set, then decaying values),
 * from which an eviction's breakdown is built when someone reads it. Copying two small arrays is
 * what a close pays; the map, its keys and boxed parts are built later, if at all.
 */
final class TagsAtClose {

  /** A peer without tags. */
  static final TagsAtClose NONE = new TagsAtClose(new String[0], new int[0], 0);

  private static final int BREAKDOWN_KEYS_CAP = 4096;
  private static final Map<String, String> BREAKDOWN_KEYS = new ConcurrentHashMap<>();

  private final String[] names;
  private final int[] values;
  private final int plain;

  /**
   * @param names the tag names: the first {@code plain} are plain tags, the rest decaying ones
   * @param values their values, by the same index
   */
  TagsAtClose(String[] names, int[] values, int plain) {
    this.names = names;
    this.values = values;
    this.plain = plain;
  }

  /**
   * The tags as the first part of an eviction's breakdown: {@code tag:NAME} to value; a decaying
   * tag named like a plain one adds to it.
   */
  Map<String, Double> breakdown() {
    Map<String, Double> breakdown = new LinkedHashMap<>(Math.max(4, names.length * 2));
    for (int i = 0; i < names.length; i++) {
      if (i < plain) {
        breakdown.put(key(names[i]), (double) values[i]);
      } else {
        breakdown.merge(key(names[i]), (double) values[i], Double::sum);
      }
    }
    return breakdown;
  }

  /**
   * {@code "tag:" + name}, from a small cache: tag names are few. Past the cap (a runaway number of
   * distinct names) it just builds them.
   */
  private static String key(String tag) {
    String key = BREAKDOWN_KEYS.get(tag);
    if (key == null) {
      key = "tag:" + tag;
      if (BREAKDOWN_KEYS.size() < BREAKDOWN_KEYS_CAP) {
        BREAKDOWN_KEYS.putIfAbsent(tag, key);
      }
    }
    return key;
  }
}
