package io.connmgr.sample;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of the sample's wire protocol, one WebSocket text message each:
 *
 * <pre>
 * OPEN  &lt;stream&gt; &lt;protocol&gt;   a peer opens a stream (dht, bitswap, gossip, relay, identify)
 * OK    &lt;stream&gt;              the node accepted it
 * MSG   &lt;stream&gt; &lt;body&gt;       a message on an open stream, either way
 * CLOSE &lt;stream&gt;              either side ends the stream
 * ERR   &lt;stream&gt; &lt;reason&gt;     the node refused a frame
 * </pre>
 *
 * <p>A stream id is 1 to 16 letters, digits or dashes, chosen by the side that opens the stream.
 *
 * @param kind the frame's verb
 * @param stream the stream it is about
 * @param rest the protocol of an OPEN, the body of a MSG, the reason of an ERR; else empty
 */
public record Frame(Kind kind, String stream, String rest) {

  /** The longest frame the node reads, in characters. */
  public static final int MAX_LENGTH = 1024;

  private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9-]{1,16}");

  /** The verbs. */
  public enum Kind {
    OPEN,
    OK,
    MSG,
    CLOSE,
    ERR
  }

  /** A frame; {@code rest} must not hold a line break. */
  public Frame {
    if (!STREAM_ID.matcher(stream).matches()) {
      throw new IllegalArgumentException("bad stream id: " + stream);
    }
    if (rest.indexOf('\n') >= 0 || rest.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a frame is one line");
    }
  }

  /** OPEN of {@code protocol} on {@code stream}. */
  public static Frame open(String stream, String protocol) {
    return new Frame(Kind.OPEN, stream, protocol);
  }

  /** MSG {@code body} on {@code stream}. */
  public static Frame msg(String stream, String body) {
    return new Frame(Kind.MSG, stream, body);
  }

  /** CLOSE of {@code stream}. */
  public static Frame close(String stream) {
    return new Frame(Kind.CLOSE, stream, "");
  }

  /** OK for {@code stream}. */
  public static Frame ok(String stream) {
    return new Frame(Kind.OK, stream, "");
  }

  /** ERR on {@code stream}. */
  public static Frame err(String stream, String reason) {
    return new Frame(Kind.ERR, stream, reason);
  }

  /** Parses one line; empty if it is not a frame. */
  public static Optional<Frame> parse(String line) {
    if (line.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = line.split(" ", 3);
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      Kind kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
      return Optional.of(new Frame(kind, parts[1], parts.length == 3 ? parts[2] : ""));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The line on the wire. */
  public String line() {
    return rest.isEmpty() ? kind + " " + stream : kind + " " + stream + " " + rest;
  }
}
