package io.connmgr.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The console login: the configured password, or a fresh random one. */
class AdminCredentialsTest {

  @Test
  void aConfiguredPasswordIsUsedAndNotMarkedGenerated() {
    AdminCredentials admin = AdminCredentials.from(new SampleProperties.Admin("ops", "s3cret"));
    assertThat(admin.username()).isEqualTo("ops");
    assertThat(admin.password()).isEqualTo("s3cret");
    assertThat(admin.generated()).isFalse();
  }

  @Test
  void withoutOneEachStartGetsADifferentLongPassword() {
    AdminCredentials first = AdminCredentials.from(new SampleProperties.Admin("admin", null));
    AdminCredentials second = AdminCredentials.from(new SampleProperties.Admin("admin", " "));
    assertThat(first.generated()).isTrue();
    assertThat(first.password()).hasSize(20).isNotEqualTo(second.password());
  }

  @Test
  void thePasswordNeverShowsInToString() {
    AdminCredentials admin = AdminCredentials.from(new SampleProperties.Admin("admin", null));
    assertThat(admin.toString()).doesNotContain(admin.password()).contains("admin");
  }
}
