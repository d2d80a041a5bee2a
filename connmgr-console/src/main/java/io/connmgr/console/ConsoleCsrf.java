package io.connmgr.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's own synchronizer token, one per session: random, compared in constant time, never
 * accepted from a request whose session does not hold it. Every action form carries it, whether or
 * not Spring Security also checks its own CSRF token on the way in, so a forged POST fails even
 * where the application's security chain turned CSRF protection off.
 */
final class ConsoleCsrf {

  static final String PARAMETER = "_connmgr_csrf";
  static final String ATTRIBUTE = ConsoleCsrf.class.getName() + ".token";

  /** A hidden form field. */
  record Token(String parameterName, String value) {}

  private final SecureRandom random = new SecureRandom();

  /** The session's token, created on first use. */
  Token token(HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    synchronized (session) {
      Object existing = session.getAttribute(ATTRIBUTE);
      if (existing instanceof String s) {
        return new Token(PARAMETER, s);
      }
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.setAttribute(ATTRIBUTE, token);
      return new Token(PARAMETER, token);
    }
  }

  /**
   * Checks the token a POST carried.
   *
   * @throws ConsoleInputException (403) if it is missing or wrong
   */
  void verify(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object expected = session == null ? null : session.getAttribute(ATTRIBUTE);
    String sent = request.getParameter(PARAMETER);
    if (!(expected instanceof String e)
        || sent == null
        || !MessageDigest.isEqual(
            e.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw ConsoleInputException.forbidden(
          "missing or invalid CSRF token: reload the page and try again");
    }
  }
}
