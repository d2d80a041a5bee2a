package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The console logins: the configured password, or a fresh random one. */
class CredentialsTest {

  @Test
  void aConfiguredPasswordIsUsedAndNotMarkedGenerated() {
    Credentials admin = Credentials.from("ops", "s3cret");
    assertThat(admin.username()).isEqualTo("ops");
    assertThat(admin.password()).isEqualTo("s3cret");
    assertThat(admin.generated()).isFalse();
  }

  @Test
  void withoutOneEachStartGetsADifferentLongPassword() {
    Credentials first = Credentials.from("admin", null);
    Credentials second = Credentials.from("admin", " ");
    assertThat(first.generated()).isTrue();
    assertThat(first.password()).hasSize(20).isNotEqualTo(second.password());
  }

  @Test
  void thePasswordNeverShowsInToString() {
    Credentials admin = Credentials.from("viewer", null);
    assertThat(admin.toString()).doesNotContain(admin.password()).contains("viewer");
  }
}
