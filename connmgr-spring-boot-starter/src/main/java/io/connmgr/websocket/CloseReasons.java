package io.connmgr.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Fits a close reason into the 123 bytes of UTF-8 a WebSocket close frame allows (RFC 6455); shared
 * by the servlet and the WebFlux adapters.
 */
public final class CloseReasons {

  /** The longest close reason, in UTF-8 bytes: a control frame's 125 bytes minus the code. */
  public static final int MAX_BYTES = 123;

  private static final String ELLIPSIS = "...";

  private CloseReasons() {}

  /** The reason itself if it fits, else its longest prefix that does, ending in "...". */
  public static String fit(String reason) {
    if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return reason;
    }
    int budget = MAX_BYTES - ELLIPSIS.length();
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + bytes > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += bytes;
      i += Character.charCount(cp);
    }
    return out.append(ELLIPSIS).toString();
  }
}
