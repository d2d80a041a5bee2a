package io.connmgr.sample;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The node's side of {@code relay}: a peer reserves a slot, then opens and closes circuits through
 * the node. The count lives in the connection's {@link Circuits} state; nothing is pushed to the
 * manager.
 *
 * <p>Messages: {@code RESERVE} answered by {@code RESERVED}; {@code CIRCUIT_OPEN <id>}; {@code
 * CIRCUIT_CLOSE <id>}.
 */
@Component
public class RelayService implements ProtocolHandler {

  private final AtomicLong circuitsOpened = new AtomicLong();

  @Override
  public String protocol() {
    return Protocols.RELAY;
  }

  @Override
  public void received(PeerStream stream, String body) {
    String[] words = body.split(" ");
    switch (words[0]) {
      case "RESERVE" -> {
        stream.connection().update(Circuits.KEY, Circuits::reserve);
        stream.send("RESERVED");
      }
      case "CIRCUIT_OPEN" -> {
        if (words.length > 1) {
          stream.connection().update(Circuits.KEY, c -> c.open(words[1]));
          circuitsOpened.incrementAndGet();
        }
      }
      case "CIRCUIT_CLOSE" -> {
        if (words.length > 1) {
          stream.connection().update(Circuits.KEY, c -> c.close(words[1]));
        }
      }
      default -> {}
    }
  }

  /** Circuits opened so far. */
  public long circuitsOpened() {
    return circuitsOpened.get();
  }
}
