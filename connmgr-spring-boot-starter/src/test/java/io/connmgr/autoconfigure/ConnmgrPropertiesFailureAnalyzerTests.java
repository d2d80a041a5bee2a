package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.connmgr.InvalidSettingsException;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

@ExtendWith(OutputCaptureExtension.class)
class ConnmgrPropertiesFailureAnalyzerTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class));

  @Test
  void lowWaterAboveHighWaterNamesBothProperties() {
    FailureAnalysis analysis = analyze("connmgr.low-water=700", "connmgr.high-water=500");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.low-water")
        .contains("Value: \"700\"")
        .contains("connmgr.low-water must not be above high water (500)")
        .contains("(see also connmgr.high-water)");
    assertThat(analysis.getAction()).contains("change connmgr.low-water (now \"700\")");
  }

  @Test
  void nonPositiveWatermarksAreRefused() {
    assertThat(analyze("connmgr.low-water=0", "connmgr.high-water=-1").getDescription())
        .contains("Property: connmgr.low-water")
        .contains("Property: connmgr.high-water")
        .contains("must be positive");
  }

  @Test
  void negativeDurationsAreRefused() {
    FailureAnalysis analysis =
        analyze(
            "connmgr.grace-period=-1s",
            "connmgr.silence-period=-2s",
            "connmgr.maintenance-interval=-5ms");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.grace-period")
        .contains("Value: \"-1s\"")
        .contains("must be from 0s to 1d")
        .contains("Property: connmgr.silence-period")
        .contains("Property: connmgr.maintenance-interval")
        .contains("must be 0 (no background upkeep) or from 10ms to 1h");
  }

  @Test
  void leaseLimitsMustBePositiveAndConsistent() {
    assertThat(analyze("connmgr.max-lease=0s").getDescription())
        .contains("Property: connmgr.max-lease")
        .contains("must be above 0, up to 1d");
    assertThat(analyze("connmgr.scorer-budget=0ms").getDescription())
        .contains("Property: connmgr.scorer-budget")
        .contains("must be above 0, up to 1m");
    assertThat(analyze("connmgr.max-lease=5m", "connmgr.max-lease-lifetime=1m").getDescription())
        .contains("Property: connmgr.max-lease-lifetime")
        .contains("must not be shorter than the maximum lease (5m)")
        .contains("(see also connmgr.max-lease)");
  }

  @Test
  void durationsAboveTheirMaximumAreReportedWithTheAllowedRange() {
    FailureAnalysis analysis =
        analyze("connmgr.max-lease=300000d", "connmgr.maintenance-interval=300000d");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.max-lease")
        .contains("Value: \"300000d\"")
        .contains("must be above 0, up to 1d")
        .contains("Property: connmgr.maintenance-interval")
        .contains("must be 0 (no background upkeep) or from 10ms to 1h");
    assertThat(analysis.getAction()).contains("change connmgr.max-lease (now \"300000d\")");
  }

  @Test
  void aMaintenanceIntervalThatWouldSpinACoreIsRefused() {
    assertThat(analyze("connmgr.maintenance-interval=1ns").getDescription())
        .contains("Property: connmgr.maintenance-interval")
        .contains("Value: \"1ns\"")
        .contains("must be 0 (no background upkeep) or from 10ms to 1h")
        .contains("a shorter period would keep a core busy");
  }

  @Test
  void everyDurationPropertyOfFourHundredYearsIsNamedWithItsRange() {
    InvalidSettingsException failure =
        failure(
            "connmgr.grace-period=146000d",
            "connmgr.silence-period=146000d",
            "connmgr.maintenance-interval=146000d",
            "connmgr.max-lease=146000d",
            "connmgr.max-lease-lifetime=146000d",
            "connmgr.scorer-budget=146000d",
            "connmgr.callback-budget=146000d");
    assertThat(PropertiesMapping.asProperties(failure.violations()))
        .extracting(InvalidConnmgrPropertiesException.Violation::property)
        .containsExactly(
            "connmgr.grace-period",
            "connmgr.silence-period",
            "connmgr.maintenance-interval",
            "connmgr.max-lease",
            "connmgr.max-lease-lifetime",
            "connmgr.scorer-budget",
            "connmgr.callback-budget");
    assertThat(failure.violations())
        .allSatisfy(
            v -> assertThat(v.message()).containsPattern("(from|above) \\w+,? (up )?to \\w+$"));
  }

  @Test
  void durationsAtTheirMaximumStartAManagerTheCoreAccepts() {
    runner
        .withPropertyValues(
            "connmgr.grace-period=1d",
            "connmgr.silence-period=1d",
            "connmgr.maintenance-interval=1h",
            "connmgr.max-lease=1d",
            "connmgr.max-lease-lifetime=7d",
            "connmgr.scorer-budget=1m",
            "connmgr.callback-budget=10m")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(io.connmgr.ConnectionManager.class));
    runner
        .withPropertyValues("connmgr.maintenance-interval=10ms")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void scorerWeightsMustBeWithinZeroAndAThousand() {
    FailureAnalysis analysis =
        analyze("connmgr.scorers.latency.weight=1001", "connmgr.scorers.relay.weight=-0.5");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.scorers.latency.weight")
        .contains("Value: \"1001.0\"")
        .contains("Property: connmgr.scorers.relay.weight")
        .contains("Value: \"-0.5\"")
        .contains("must be between 0 and 1000");
  }

  @Test
  void badStaticPeerIdsAreNamedByIndex() {
    String tooLong = "p".repeat(257);
    FailureAnalysis analysis =
        analyze("connmgr.static-peers[0]=good", "connmgr.static-peers[1]=" + tooLong);
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.static-peers[1]")
        .contains("is not a valid peer id: peer id must be at most 256 characters");
  }

  @Test
  void admissionLimitsAndTheHeapThresholdAreChecked() {
    FailureAnalysis analysis =
        analyze(
            "connmgr.high-water=900",
            "connmgr.admission.max-connections=900",
            "connmgr.admission.max-connections-per-peer=0",
            "connmgr.admission.max-inbound-share=1.5",
            "connmgr.admission.allow=a,b",
            "connmgr.admission.deny=b",
            "connmgr.emergency.heap-threshold=1");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.admission.max-connections")
        .contains("must be above high water (900)")
        .contains("Property: connmgr.admission.max-connections-per-peer")
        .contains("Property: connmgr.admission.max-inbound-share")
        .contains("must be above 0 and at most 1")
        .contains("Property: connmgr.admission.deny")
        .contains("Value: \"b\"")
        .contains("names a peer that is also allowed")
        .contains("Property: connmgr.emergency.heap-threshold")
        .contains("must be between 0 and 1, both excluded");
  }

  @Test
  void theEvictionMemorysSettingsAreChecked() {
    assertThat(
            analyze(
                    "connmgr.eviction-memory.size=-1",
                    "connmgr.eviction-memory.window=2d",
                    "connmgr.eviction-memory.backoff=0s")
                .getDescription())
        .contains("Property: connmgr.eviction-memory.size")
        .contains("must be between 0 and 1000000")
        .contains("Property: connmgr.eviction-memory.window")
        .contains("must be above 0, up to 1d")
        .contains("Property: connmgr.eviction-memory.backoff");
    assertThat(
            analyze("connmgr.eviction-memory.window=1m", "connmgr.eviction-memory.backoff=2m")
                .getDescription())
        .contains("Property: connmgr.eviction-memory.backoff")
        .contains("must not be longer than the eviction memory window (1m)")
        .contains("(see also connmgr.eviction-memory.window)");
  }

  @Test
  void badAllowAndDenyPeerIdsAreNamedByIndex() {
    assertThat(
            analyze("connmgr.admission.deny[0]=ok", "connmgr.admission.deny[1]=" + "d".repeat(300))
                .getDescription())
        .contains("Property: connmgr.admission.deny[1]")
        .contains("is not a valid peer id");
  }

  @Test
  void negativeHistorySizeIsRefused() {
    assertThat(analyze("connmgr.history-size=-1").getDescription())
        .contains("Property: connmgr.history-size")
        .contains("must not be negative");
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    InvalidSettingsException failure =
        failure(
            "connmgr.low-water=9",
            "connmgr.high-water=3",
            "connmgr.grace-period=-1s",
            "connmgr.scorers.relay.weight=-1",
            "connmgr.admission.max-connections=2",
            "connmgr.eviction-memory.size=-1");
    assertThat(PropertiesMapping.asProperties(failure.violations()))
        .extracting(InvalidConnmgrPropertiesException.Violation::property)
        .containsExactly(
            "connmgr.low-water",
            "connmgr.grace-period",
            "connmgr.scorers.relay.weight",
            "connmgr.admission.max-connections",
            "connmgr.eviction-memory.size");
  }

  @Test
  void idsTheBuilderCannotTakeAreReportedWithEveryViolationOfTheBuilder() {
    FailureAnalysis analysis =
        analyze(
            "connmgr.static-peers=" + "p".repeat(300),
            "connmgr.low-water=9",
            "connmgr.high-water=3");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.static-peers[0]")
        .contains("is not a valid peer id")
        .contains("Property: connmgr.low-water");
  }

  @Test
  void anApplicationThatFailsToStartReportsThePropertyItsOriginAndWhy(CapturedOutput output) {
    SpringApplication application = new SpringApplication(EmptyApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    assertThatThrownBy(() -> application.run("--spring.config.name=connmgr-bad"))
        .hasRootCauseInstanceOf(InvalidSettingsException.class);
    assertThat(output)
        .contains("The connection manager (connmgr) cannot start")
        .contains("Property: connmgr.low-water")
        .contains("Origin: class path resource [connmgr-bad.properties]")
        .contains("must not be above high water (500)")
        .contains("change connmgr.low-water (now \"700\")");
  }

  @Test
  void springBootPicksThisAnalyzerBeforeItsGenericBindAnalysis() {
    runner
        .withPropertyValues("connmgr.low-water=700", "connmgr.high-water=500")
        .run(
            context -> {
              List<FailureAnalyzer> analyzers =
                  SpringFactoriesLoader.forDefaultResourceLocation()
                      .load(
                          FailureAnalyzer.class,
                          ArgumentResolver.of(Environment.class, new StandardEnvironment())
                              .and(BeanFactory.class, new DefaultListableBeanFactory()),
                          SpringFactoriesLoader.FailureHandler.logging(
                              org.apache.commons.logging.LogFactory.getLog(getClass())));
              FailureAnalysis first =
                  analyzers.stream()
                      .map(a -> a.analyze(context.getStartupFailure()))
                      .filter(Objects::nonNull)
                      .findFirst()
                      .orElseThrow();
              assertThat(first.getDescription())
                  .startsWith("The connection manager (connmgr) cannot start")
                  .contains("connmgr.low-water");
            });
  }

  @Test
  void validValuesStartCleanly() {
    runner
        .withPropertyValues(
            "connmgr.low-water=5",
            "connmgr.high-water=5",
            "connmgr.grace-period=0s",
            "connmgr.scorers.latency.weight=0",
            "connmgr.scorers.relay.weight=1000",
            "connmgr.static-peers=a,b")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void anEmptyPinsFileIsReportedNamingTheProperty() {
    FailureAnalysis analysis = analyze("connmgr.pins-file=");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.pins-file")
        .contains("must name a file")
        .contains("leave it unset");
  }

  @Test
  void unverifiedStaticOrAllowedPeersAreRefused() {
    FailureAnalysis analysis =
        analyze(
            "connmgr.static-peers=unverified:stable-1",
            "connmgr.admission.allow=unverified:alice",
            "connmgr.admission.deny=unverified:troll");
    assertThat(analysis.getDescription())
        .contains("Property: connmgr.static-peers[0]")
        .contains("Property: connmgr.admission.allow")
        .contains("Value: \"unverified:alice\"")
        .contains("is an unverified id")
        .doesNotContain("connmgr.admission.deny");
  }

  @Test
  void operatorSettingsAreCheckedWithTheirRange() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ConnmgrAutoConfiguration.class, ConnmgrOperatorAutoConfiguration.class))
        .withPropertyValues("connmgr.operator.audit-size=0", "connmgr.operator.role=a b")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new ConnmgrPropertiesFailureAnalyzer(null).analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Property: connmgr.operator.audit-size")
                  .contains("must be in [1, 100000]")
                  .contains("Property: connmgr.operator.role");
            });
  }

  private FailureAnalysis analyze(String... properties) {
    AtomicFailure holder = new AtomicFailure();
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              holder.analysis =
                  new ConnmgrPropertiesFailureAnalyzer(null).analyze(context.getStartupFailure());
            });
    assertThat(holder.analysis).as("analysis").isNotNull();
    return holder.analysis;
  }

  private InvalidSettingsException failure(String... properties) {
    AtomicFailure holder = new AtomicFailure();
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable t = context.getStartupFailure();
              while (t != null && !(t instanceof InvalidSettingsException)) {
                t = t.getCause();
              }
              holder.failure = (InvalidSettingsException) t;
            });
    assertThat(holder.failure).as("failure").isNotNull();
    return holder.failure;
  }

  private static final class AtomicFailure {
    FailureAnalysis analysis;
    InvalidSettingsException failure;
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ConnmgrAutoConfiguration.class)
  static class EmptyApplication {}
}
