package io.connmgr.sample;

import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One console login of the sample (the admin, who may act, and the viewer, who may only look): the
 * name and password from {@code sample.admin.*} or {@code sample.viewer.*}, or a password generated
 * at start-up when none is set, so the console works out of the box and is not open to anyone.
 *
 * @param username the user name
 * @param password the password in clear, to print once at start-up
 * @param generated whether it was generated (and so must be printed to be known)
 */
public record Credentials(String username, String password, boolean generated) {

  /** The role the console requires for its actions. */
  public static final String ROLE = "CONNMGR_ADMIN";

  /** The role that may view the console but not act. */
  public static final String VIEWER_ROLE = "CONNMGR_VIEWER";

  /** The configured login, or one with a fresh random password. */
  public static Credentials from(String username, @Nullable String password) {
    if (password != null && !password.isBlank()) {
      return new Credentials(username, password, false);
    }
    byte[] random = new byte[15];
    new SecureRandom().nextBytes(random);
    return new Credentials(
        username, Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
  }

  /** The password as the start-up banner shows it: generated ones in clear, configured ones not. */
  public String shownPassword(String property) {
    return generated ? password : "(as set by " + property + ")";
  }

  @Override
  public String toString() {
    return "Credentials[" + username + "]"; // never the password
  }
}
