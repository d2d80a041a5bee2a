package io.connmgr.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The console beside the starter, as a user adds it: no {@code ConnectionManager} bean of the
 * application's own; the starter builds one from {@code connmgr.*} and the console shows it.
 */
class ConsoleWithStarterTest {

  final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withClassLoader(new FilteredClassLoader("org.springframework.security"))
          .withConfiguration(
              AutoConfigurations.of(
                  io.connmgr.autoconfigure.ConnmgrAutoConfiguration.class,
                  io.connmgr.autoconfigure.ConnmgrOperatorAutoConfiguration.class,
                  ConsoleAutoConfiguration.class,
                  WebMvcAutoConfiguration.class,
                  ThymeleafAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  PropertyPlaceholderAutoConfiguration.class));

  @Test
  void theStartersManagerIsTheOneTheConsoleShows() {
    runner
        .withPropertyValues(
            "connmgr.low-water=7",
            "connmgr.high-water=11",
            "connmgr.static-peers=bootstrap-1",
            "connmgr.console.cache-ttl=0s")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(ConnectionManager.class)
                  .hasSingleBean(ConsoleViewController.class);
              ConnectionManager manager = context.getBean(ConnectionManager.class);
              assertThat(manager.isProtected(PeerId.of("bootstrap-1"), ConnectionManager.PIN_TAG))
                  .isTrue();
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              String html =
                  mvc.perform(get("/connmgr"))
                      .andExpect(status().isOk())
                      .andReturn()
                      .getResponse()
                      .getContentAsString();
              assertThat(html).contains("id=\"stat-low\">7<", "id=\"stat-high\">11<");
              assertThat(
                      mvc.perform(get("/connmgr/peer").param("id", "bootstrap-1"))
                          .andExpect(status().isOk())
                          .andReturn()
                          .getResponse()
                          .getContentAsString())
                  .contains("connmgr:pinned");
            });
  }

  @Test
  void turningTheStarterOffTurnsTheConsoleOff() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleViewController.class));
  }

  @Test
  void aSampleIntervalOutsideItsRangeIsReportedNamingThePropertyAndTheRange() {
    runner
        .withPropertyValues(
            "connmgr.console.sample-interval=999us", "connmgr.console.refresh-interval=0s")
        .run(
            context -> {
              assertThat(failureDescription(context))
                  .contains("Property: connmgr.console.sample-interval")
                  .contains("Value: \"PT0.000999S\"")
                  .contains("must be between 1 ms and")
                  .contains("Property: connmgr.console.refresh-interval");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "100001"})
  void evictionsKeptOutsideItsRangeIsReportedNamingThePropertyAndTheRange(String kept) {
    runner
        .withPropertyValues("connmgr.console.evictions-kept=" + kept)
        .run(
            context -> {
              assertThat(failureDescription(context))
                  .contains("Property: connmgr.console.evictions-kept")
                  .contains("must be between 1 and 100000");
            });
  }

  /** What the connmgr.* failure analysis says of a context that failed to start. */
  private static String failureDescription(
      org.springframework.boot.test.context.assertj.AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    org.springframework.boot.diagnostics.FailureAnalysis analysis =
        new io.connmgr.autoconfigure.ConnmgrPropertiesFailureAnalyzer(null)
            .analyze(context.getStartupFailure());
    assertThat(analysis).isNotNull();
    return analysis.getDescription();
  }
}
