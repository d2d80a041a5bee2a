package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The handles a transport holds show what the manager knows: state, attachments, status. */
class HandleTest {

  static final AttachmentKey<List<String>> NOTES = AttachmentKey.of("notes", ArrayList::new);

  @Test
  void attachmentsOnTheTransportsHandlesAreTheRealOnes() {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection c = h.open("a");
      ManagedStream s = c.openStream("/chat", Direction.OUTBOUND);
      c.update(NOTES, n -> n.add("on the connection"));
      s.update(NOTES, n -> n.add("on the stream"));

      assertThat(c.attachments()).containsOnlyKeys("notes");
      assertThat(c.attachments().get("notes")).hasToString("[on the connection]");
      assertThat(s.attachments()).containsOnlyKeys("notes");
      assertThat(s.attachments().get("notes")).hasToString("[on the stream]");
    }
  }

  @Test
  void aConnectionHandleShowsOpenClosingAndClosed() {
    try (Harness h = new Harness(1, 1)) {
      AtomicReference<ManagedConnection> self = new AtomicReference<>();
      AtomicReference<Boolean> closingDuringClose = new AtomicReference<>();
      AtomicReference<Boolean> openDuringClose = new AtomicReference<>();
      ManagedConnection closing =
          h.cm.connectionOpened(
              PeerId.of("a"),
              Direction.INBOUND,
              "127.0.0.1:1",
              why -> {
                closingDuringClose.set(self.get().isClosing());
                openDuringClose.set(self.get().isOpen());
              });
      self.set(closing);
      h.open("b");
      ManagedConnection kept = h.open("c");
      h.cm.protect(PeerId.of("b"), "keep");
      h.cm.protect(PeerId.of("c"), "keep");
      assertThat(closing.isOpen()).isTrue();
      assertThat(closing.isClosing()).isFalse();
      assertThat(closing.toString()).contains("OPEN");
      h.pastGrace();

      h.cm.trim();

      assertThat(closingDuringClose.get()).as("closing while its closer runs").isTrue();
      assertThat(openDuringClose.get()).as("still counted while its closer runs").isTrue();
      assertThat(closing.isClosing()).isFalse();
      assertThat(closing.isOpen()).isFalse();
      assertThat(closing.toString()).contains("CLOSED");
      kept.closed();
      assertThat(kept.isOpen()).isFalse();
      assertThat(kept.isClosing()).isFalse();
    }
  }

  @Test
  void aStreamHandleShowsWhetherItIsOpen() {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection c = h.open("a");
      ManagedStream s = c.openStream("/chat", Direction.OUTBOUND);
      ManagedStream other = c.openStream("/chat", Direction.OUTBOUND);
      assertThat(s.isOpen()).isTrue();
      assertThat(s.toString()).contains("open");

      s.close();
      assertThat(s.isOpen()).isFalse();
      assertThat(s.toString()).contains("closed");
      c.closed();
      assertThat(other.isOpen()).as("closed with its connection").isFalse();
    }
  }
}
