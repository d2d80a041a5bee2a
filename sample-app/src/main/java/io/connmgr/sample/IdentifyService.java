package io.connmgr.sample;

import io.connmgr.AttachmentKey;
import io.connmgr.ConnectionManager;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The node's side of {@code identify}: the peer says who it is, the node records it on the peer as
 * typed state, answers, and closes the stream at once. A stream that lives a few milliseconds and
 * takes no lease never holds a connection: identify adds nothing to any score.
 *
 * <p>Messages: {@code HELLO <agent> <role>}, answered by {@code HELLO <node agent>} and CLOSE.
 */
@Component
public class IdentifyService implements ProtocolHandler {

  /** The node's agent string. */
  public static final String AGENT = "connmgr-sample/0.1.0";

  /** What a peer said about itself. */
  public static final AttachmentKey<Identity> KEY = AttachmentKey.of("identify", Identity::new);

  /** A peer's identify answer. */
  public static final class Identity {
    private volatile String agent = "";
    private volatile String role = "";

    /** The peer's agent string. */
    public String agent() {
      return agent;
    }

    /** The role it announced. */
    public String role() {
      return role;
    }

    @Override
    public String toString() {
      return agent + " (" + role + ")";
    }
  }

  private final ConnectionManager manager;
  private final AtomicLong identified = new AtomicLong();

  /** Identify, recording on {@code manager}'s peers. */
  public IdentifyService(ConnectionManager manager) {
    this.manager = manager;
  }

  @Override
  public String protocol() {
    return Protocols.IDENTIFY;
  }

  @Override
  public void received(PeerStream stream, String body) {
    String[] words = body.split(" ");
    if (words.length >= 3 && words[0].equals("HELLO")) {
      manager.updatePeer(
          stream.peer(),
          KEY,
          id -> {
            id.agent = words[1];
            id.role = words[2];
          });
      identified.incrementAndGet();
    }
    stream.send("HELLO " + AGENT);
    stream.close(); // done: never hold the connection
  }

  /** Peers identified so far. */
  public long identified() {
    return identified.get();
  }
}
