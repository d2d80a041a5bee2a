package io.connmgr.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonsTests {

  @Test
  void aShortReasonIsKept() {
    assertThat(CloseReasons.fit("above high water")).isEqualTo("above high water");
  }

  @Test
  void aReasonOfExactly123BytesIsKept() {
    String exact = "r".repeat(123);
    assertThat(CloseReasons.fit(exact)).isEqualTo(exact);
  }

  @Test
  void aLongReasonIsCutTo123BytesWithAnEllipsis() {
    String fitted = CloseReasons.fit("x".repeat(500));
    assertThat(fitted.getBytes(StandardCharsets.UTF_8)).hasSize(123);
    assertThat(fitted).endsWith("...").startsWith("xxx");
  }

  @Test
  void multiByteCharactersAreNeverSplit() {
    String fitted = CloseReasons.fit("é".repeat(100) + "🚀".repeat(50));
    byte[] bytes = fitted.getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isLessThanOrEqualTo(123);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(fitted);
    assertThat(fitted).endsWith("...").doesNotContain("\uFFFD");
    String rockets = CloseReasons.fit("🚀".repeat(60));
    assertThat(rockets.codePoints().filter(cp -> cp == 0x1F680).count()).isEqualTo(30);
  }
}
