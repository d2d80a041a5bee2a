package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The wire protocol's lines, as the README documents them. */
class FrameTest {

  @Test
  void eachVerbReadsBackAsWritten() {
    for (Frame frame :
        new Frame[] {
          Frame.open("d", Protocols.DHT),
          Frame.ok("d"),
          Frame.msg("b", "CHUNK blk-1 65536"),
          Frame.close("b"),
          Frame.err("x", "unknown protocol")
        }) {
      assertThat(Frame.parse(frame.line())).contains(frame);
    }
  }

  @Test
  void aMessageBodyKeepsItsSpaces() {
    assertThat(Frame.parse("MSG g PUBLISH m42 extra words"))
        .contains(new Frame(Frame.Kind.MSG, "g", "PUBLISH m42 extra words"));
    assertThat(Frame.msg("i0", "HELLO me/1.0 idle").line()).isEqualTo("MSG i0 HELLO me/1.0 idle");
  }

  @Test
  void anythingElseIsNotAFrame() {
    assertThat(Frame.parse("")).isEmpty();
    assertThat(Frame.parse("OPEN")).isEmpty();
    assertThat(Frame.parse("SHOUT s hello")).isEmpty();
    assertThat(Frame.parse("OPEN bad/id dht")).isEmpty();
    assertThat(Frame.parse("OPEN s-0123456789abcdef dht")).isEmpty(); // 18 characters
    assertThat(Frame.parse("MSG s " + "x".repeat(Frame.MAX_LENGTH))).isEmpty();
  }

  @Test
  void aFrameIsOneLine() {
    assertThatIllegalArgumentException().isThrownBy(() -> Frame.msg("s", "two\nlines"));
  }
}
