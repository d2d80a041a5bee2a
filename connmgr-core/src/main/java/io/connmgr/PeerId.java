package io.connmgr;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The name of a remote party. Opaque to the manager: non-blank, at most {@value #MAX_LENGTH}
 * printable characters.
 *
 * <p>An id is <em>verified</em> when an authenticated source produced it (a {@code Principal}, a
 * TLS peer certificate, the application's own handshake) and <em>unverified</em> when the client
 * merely claimed it. Unverified ids live in their own namespace ({@link #unverified(String)} puts
 * {@value #UNVERIFIED_PREFIX} before the claim), so a client can never claim its way into a
 * verified id: pins, static peers and allow lists name verified ids only.
 *
 * @param value the identifier as the transport knows it
 */
public record PeerId(String value) implements Comparable<PeerId> {

  /** The longest accepted identifier, in characters. */
  public static final int MAX_LENGTH = 256;

  /** What every unverified id starts with; {@link #isVerified()} is false for such an id. */
  public static final String UNVERIFIED_PREFIX = "unverified:";

  /** The longest claim {@link #unverified(String)} accepts, in characters. */
  public static final int MAX_CLAIM_LENGTH = MAX_LENGTH - UNVERIFIED_PREFIX.length();

  /**
   * Validates the identifier.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it is blank, too long, or holds a non-printable character
   */
  public PeerId {
    Objects.requireNonNull(value, "peer id must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("peer id must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "peer id must be at most " + MAX_LENGTH + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!printable(c) || (Character.isSurrogate(c) && !validSurrogateAt(value, i))) {
        throw new IllegalArgumentException(
            "peer id must hold printable characters only; found U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i);
      }
    }
  }

  /**
   * Returns the peer id for {@code value}.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it is not a valid peer id
   */
  public static PeerId of(String value) {
    return new PeerId(value);
  }

  /**
   * Returns the unverified id for what a client claims to be: {@value #UNVERIFIED_PREFIX} followed
   * by the claim. It never equals a verified id, whatever the claim.
   *
   * @throws NullPointerException if {@code claimed} is null
   * @throws IllegalArgumentException if the claim is blank, longer than {@link #MAX_CLAIM_LENGTH}
   *     or holds a non-printable character
   */
  public static PeerId unverified(String claimed) {
    Objects.requireNonNull(claimed, "claimed peer id must not be null");
    if (claimed.length() > MAX_CLAIM_LENGTH) {
      throw new IllegalArgumentException(
          "claimed peer id must be at most "
              + MAX_CLAIM_LENGTH
              + " characters, was "
              + claimed.length());
    }
    if (claimed.isBlank()) {
      throw new IllegalArgumentException("claimed peer id must not be blank");
    }
    return new PeerId(UNVERIFIED_PREFIX + claimed);
  }

  /**
   * Whether this id came from an authenticated source, that is, does not start with {@value
   * #UNVERIFIED_PREFIX}. Only verified ids may be pinned, static or allow-listed.
   */
  public boolean isVerified() {
    return !value.startsWith(UNVERIFIED_PREFIX);
  }

  /** Returns whether {@code value} would make a valid peer id, without throwing. */
  public static boolean isValid(String value) {
    try {
      new PeerId(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether {@code c} shows as itself: not a control, not a line or paragraph separator, not an
   * invisible format character (bidi overrides, zero-width characters), which in a log line or a
   * console would break lines or disguise one peer as another.
   */
  private static boolean printable(char c) {
    switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR -> {
        return false;
      }
      default -> {
        return true;
      }
    }
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /**
   * Equal to another id of the same value. Written out rather than left to the record: the
   * generated method goes through a method handle, slow wherever the JIT has not compiled its
   * caller yet, and every hash-table lookup of a peer calls it.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof PeerId other && value.equals(other.value));
  }

  /** The value's hash code, as the record's would be; written out for the reason above. */
  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(PeerId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
