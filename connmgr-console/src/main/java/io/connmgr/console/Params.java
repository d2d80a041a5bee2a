package io.connmgr.console;

import io.connmgr.Direction;
import io.connmgr.PeerId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and checks request parameters for the console's queries: a parameter out of its range is a
 * {@link ConsoleInputException} (400) naming it, never a silent default; an absent or blank
 * parameter takes its default.
 */
final class Params {

  /** The page sizes the pages offer; no other is accepted. */
  static final List<Integer> SIZES = List.of(25, 50, 100, 200, 500);

  static final int DEFAULT_SIZE = 50;

  private Params() {}

  /** The page, from 1. */
  static int page(Map<String, String> params) {
    return integer(params, "page", 1, 1, Integer.MAX_VALUE);
  }

  /** Rows per page: one of {@link #SIZES}. */
  static int size(Map<String, String> params) {
    String v = text(params, "size");
    if (v.isEmpty()) {
      return DEFAULT_SIZE;
    }
    for (int offered : SIZES) {
      if (Integer.toString(offered).equals(v)) {
        return offered;
      }
    }
    throw ConsoleInputException.badRequest("size must be one of " + SIZES + ", was '" + v + "'");
  }

  /** A direction, or null for both. */
  static @Nullable Direction direction(Map<String, String> params) {
    String d = text(params, "direction");
    if (d.isEmpty()) {
      return null;
    }
    try {
      return Direction.valueOf(d.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ConsoleInputException.badRequest(
          "direction must be inbound or outbound, was '" + d + "'");
    }
  }

  static void put(Map<String, String> m, String key, String value) {
    if (!value.isEmpty()) {
      m.put(key, value);
    }
  }

  static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  static String text(Map<String, String> params, String key) {
    String v = params.get(key);
    if (v == null) {
      return "";
    }
    v = v.strip();
    if (v.length() > PeerId.MAX_LENGTH) {
      throw ConsoleInputException.badRequest(
          key + " must be at most " + PeerId.MAX_LENGTH + " characters");
    }
    return v;
  }

  static @Nullable Double number(Map<String, String> params, String key) {
    String v = text(params, key);
    if (v.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw ConsoleInputException.badRequest(key + " must be a number, was '" + v + "'");
    }
  }

  static int integer(Map<String, String> params, String key, int dflt, int min, int max) {
    String v = text(params, key);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw ConsoleInputException.badRequest(
          key + " must be a whole number from " + min + " to " + max + ", was '" + v + "'");
    }
  }

  static @Nullable Boolean bool(Map<String, String> params, String key) {
    String v = text(params, key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "" -> null;
      case "yes", "true" -> Boolean.TRUE;
      case "no", "false" -> Boolean.FALSE;
      default ->
          throw ConsoleInputException.badRequest(key + " must be yes or no, was '" + v + "'");
    };
  }
}
