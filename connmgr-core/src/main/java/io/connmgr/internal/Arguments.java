package io.connmgr.internal;

/** Checks of arguments the public API shares, with messages that name the argument. */
public final class Arguments {

  private Arguments() {}

  /**
   * Returns {@code value} if it is neither null nor blank.
   *
   * @param what the argument's name, for the message
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is blank
   */
  public static String name(String value, String what) {
    if (value == null) {
      // the message is put together only when it is needed: every tag change checks its name
      throw new NullPointerException(what + " must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
