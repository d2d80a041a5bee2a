package io.connmgr.sample;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's admin login: the name and password from {@code sample.admin.*}, or a password
 * generated at start-up when none is set, so the console's actions work out of the box and are
 * not open to anyone.
 *
 * @param username the user name
 * @param password the password in clear, to print once at start-up
 * @param generated whether it was generated (and so must be printed to be known)
 */
public record AdminCredentials(String username, String password, boolean generated) {

  /** The role the console requires for its actions. */
  public static final String ROLE = "CONNMGR_ADMIN";

  /** The configured login, or one with a fresh random password. */
  public static AdminCredentials from(SampleProperties.Admin admin) {
    String password = admin.password();
    if (password != null && !password.isBlank()) {
      return new AdminCredentials(admin.username(), password, false);
    }
    byte[] random = new byte[15];
    new SecureRandom().nextBytes(random);
    return new AdminCredentials(admin.username(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
  }

  @Override
  public String toString() {
    return "AdminCredentials[" + username + "]"; // never the password
  }
}
