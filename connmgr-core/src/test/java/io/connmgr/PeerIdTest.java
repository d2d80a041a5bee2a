package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "a",
        "peer with spaces",
        "ünïcödé-пир",
        "emoji-\uD83D\uDE80"
      })
  void acceptsPrintableIdentifiers(String value) {
    PeerId id = PeerId.of(value);

    assertThat(id.value()).isEqualTo(value);
    assertThat(id).hasToString(value);
    assertThat(PeerId.isValid(value)).isTrue();
  }

  @Test
  void acceptsExactlyTheMaximumLength() {
    String longest = "x".repeat(PeerId.MAX_LENGTH);

    assertThat(PeerId.of(longest).value()).hasSize(256);
  }

  @Test
  void refusesNullNamingThePeerId() {
    assertThatNullPointerException()
        .isThrownBy(() -> PeerId.of(null))
        .withMessageContaining("peer id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t \t", "\u2003"})
  void refusesBlankIdentifiers(String blank) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of(blank))
        .withMessageContaining("peer id")
        .withMessageContaining("blank");
    assertThat(PeerId.isValid(blank)).isFalse();
  }

  @Test
  void refusesIdentifiersLongerThan256CharactersSayingHowLong() {
    String tooLong = "x".repeat(257);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of(tooLong))
        .withMessageContaining("at most 256")
        .withMessageContaining("257");
  }

  @Test
  void refusesControlCharactersNamingTheCharacterAndItsPosition() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of("peer\n1"))
        .withMessageContaining("printable")
        .withMessageContaining("U+000A")
        .withMessageContaining("index 4");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of("nul\u0000"))
        .withMessageContaining("U+0000");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of("del\u007F"))
        .withMessageContaining("U+007F");
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {"2028", "2029", "202E", "200B", "FEFF", "0085"})
  void refusesInvisibleLineBreakingAndFormatCharacters(String hex) {
    // Not printable: line and paragraph separators, bidi overrides, zero-width characters. In a
    // log line or the console they break lines or disguise one peer as another.
    String value = "peer" + (char) Integer.parseInt(hex, 16) + "1";

    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of(value))
        .withMessageContaining("printable")
        .withMessageContaining("U+" + hex)
        .withMessageContaining("index 4");
  }

  @Test
  void refusesALoneSurrogate() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of("half-\uD83D"))
        .withMessageContaining("U+D83D");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.of("\uDE80-half"))
        .withMessageContaining("index 0");
  }

  @Test
  void equalIdentifiersAreEqualPeerIdsAndSortByValue() {
    assertThat(PeerId.of("b")).isEqualTo(new PeerId("b")).hasSameHashCodeAs(PeerId.of("b"));
    assertThat(PeerId.of("a")).isLessThan(PeerId.of("b"));
    assertThat(PeerId.isValid(null)).isFalse();
  }

  @Test
  void anUnverifiedIdNeverEqualsTheVerifiedIdItClaims() {
    PeerId claimed = PeerId.unverified("stable-1");

    assertThat(claimed).isNotEqualTo(PeerId.of("stable-1"));
    assertThat(claimed.value()).isEqualTo(PeerId.UNVERIFIED_PREFIX + "stable-1");
    assertThat(claimed.isVerified()).isFalse();
    assertThat(PeerId.of("stable-1").isVerified()).isTrue();
  }

  @Test
  void claimingTheUnverifiedNamespaceStaysUnverified() {
    PeerId nested = PeerId.unverified(PeerId.UNVERIFIED_PREFIX + "alice");

    assertThat(nested.isVerified()).isFalse();
    assertThat(nested).isNotEqualTo(PeerId.unverified("alice"));
  }

  @Test
  void refusesClaimsThatWouldNotMakeAValidId() {
    assertThatNullPointerException()
        .isThrownBy(() -> PeerId.unverified(null))
        .withMessageContaining("claimed peer id");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.unverified(" "))
        .withMessageContaining("blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.unverified("x".repeat(PeerId.MAX_CLAIM_LENGTH + 1)))
        .withMessageContaining(String.valueOf(PeerId.MAX_CLAIM_LENGTH));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeerId.unverified("a\u202Eb"))
        .withMessageContaining("printable");
    assertThat(PeerId.unverified("x".repeat(PeerId.MAX_CLAIM_LENGTH)).value())
        .hasSize(PeerId.MAX_LENGTH);
  }

  @Test
  void idsOfOneValueAreEqualAndHashAsTheirValueWhateverTheInstance() {
    PeerId a = PeerId.of("peer-a");
    PeerId again = new PeerId(new String("peer-a".toCharArray()));

    assertThat(a).isEqualTo(again).hasSameHashCodeAs(again).isNotEqualTo(PeerId.of("peer-b"));
    assertThat(a.hashCode()).isEqualTo("peer-a".hashCode());
    assertThat(a.equals(null)).isFalse();
    assertThat(a.equals("peer-a")).as("not its value").isFalse();
    assertThat(PeerId.unverified("peer-a")).isNotEqualTo(a);
  }
}
