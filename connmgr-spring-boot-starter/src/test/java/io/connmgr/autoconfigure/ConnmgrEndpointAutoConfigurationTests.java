package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.actuate.ConnmgrEndpoint;
import io.connmgr.actuate.ConnmgrEndpointWebExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ConnmgrEndpointAutoConfigurationTests {

  // as in a SpringApplication, so that lowercase enum values such as access=none bind
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withInitializer(
              context ->
                  context.getEnvironment().setConversionService(new ApplicationConversionService()))
          .withConfiguration(
              AutoConfigurations.of(
                  ConnmgrAutoConfiguration.class,
                  ConnmgrOperatorAutoConfiguration.class,
                  ConnmgrEndpointAutoConfiguration.class));

  @Test
  void endpointAndWebExtensionWhenExposedOverHttp() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=connmgr")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ConnmgrEndpoint.class)
                    .hasSingleBean(ConnmgrEndpointWebExtension.class));
  }

  @Test
  void noEndpointUnlessExposed() {
    runner.run(
        context ->
            assertThat(context)
                .doesNotHaveBean(ConnmgrEndpoint.class)
                .doesNotHaveBean(ConnmgrEndpointWebExtension.class));
  }

  @Test
  void noWebExtensionWhenExposedOverJmxOnly() {
    runner
        .withPropertyValues(
            "spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=connmgr")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ConnmgrEndpoint.class)
                    .doesNotHaveBean(ConnmgrEndpointWebExtension.class));
  }

  @Test
  void openWritesWithoutSpringSecurityAreAWarningAtStart(CapturedOutput output) {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=connmgr",
            "management.endpoint.connmgr.access=unrestricted")
        .run(context -> assertThat(context).hasSingleBean(ConnmgrEndpoint.class));
    assertThat(output)
        .contains(
            "The connmgr endpoint's writes (trim, pin, unpin, evict) are open"
                + " to whoever reaches it");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "management.endpoint.connmgr.access=unrestricted",
        "management.endpoints.access.default=unrestricted",
        "management.endpoint.connmgr.enabled=true",
        "management.endpoints.enabled-by-default=true"
      })
  void everyPropertyThatUnlocksTheWritesWarnsWithoutSpringSecurity(
      String unlock, CapturedOutput output) {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=connmgr", unlock)
        .run(context -> assertThat(context).hasSingleBean(ConnmgrEndpoint.class));
    assertThat(output).contains("writes (trim, pin, unpin, evict) are open to whoever reaches it");
  }

  @Test
  void readOnlyAccessIsNoWarning(CapturedOutput output) {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=connmgr",
            "management.endpoints.access.default=unrestricted",
            "management.endpoints.access.max-permitted=read-only")
        .run(context -> assertThat(context).hasSingleBean(ConnmgrEndpoint.class));
    assertThat(output).doesNotContain("are open to whoever reaches it");
  }

  @Test
  void noEndpointWhenAccessIsNone() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=connmgr",
            "management.endpoint.connmgr.access=none")
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrEndpoint.class));
  }

  @Test
  void noEndpointWhenConnmgrIsDisabled() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=connmgr", "connmgr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrEndpoint.class));
  }

  @Test
  void noEndpointWithoutActuator() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=connmgr")
        .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
        .run(context -> assertThat(context).doesNotHaveBean(ConnmgrEndpoint.class).hasNotFailed());
  }
}
