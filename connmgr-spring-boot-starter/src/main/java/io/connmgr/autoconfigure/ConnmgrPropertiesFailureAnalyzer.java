package io.connmgr.autoconfigure;

import io.connmgr.InvalidSettingsException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Turns the builder's {@link InvalidSettingsException} (each {@link io.connmgr.Setting} mapped back
 * to its property by {@link PropertiesMapping}) or an {@link InvalidConnmgrPropertiesException}
 * into one start-up report that names every bad {@code connmgr.*} property, its value, where it was
 * set, and why it cannot be used. Ordered before Spring Boot's generic bind failure analysis, which
 * would only name {@code connmgr}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class ConnmgrPropertiesFailureAnalyzer implements FailureAnalyzer {

  private final @Nullable Environment environment;

  /** Created by Spring Boot's failure analysis with the application's environment, if any. */
  public ConnmgrPropertiesFailureAnalyzer(@Nullable Environment environment) {
    this.environment = environment;
  }

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidConnmgrPropertiesException properties) {
        return analyze(properties.violations(), properties);
      }
      if (t instanceof InvalidSettingsException settings) {
        return analyze(PropertiesMapping.asProperties(settings.violations()), settings);
      }
    }
    return null;
  }

  private FailureAnalysis analyze(
      List<InvalidConnmgrPropertiesException.Violation> violations, Throwable cause) {
    StringBuilder description =
        new StringBuilder("The connection manager (connmgr) cannot start:")
            .append(System.lineSeparator());
    StringBuilder action =
        new StringBuilder("Update your application's configuration:")
            .append(System.lineSeparator());
    for (InvalidConnmgrPropertiesException.Violation v : violations) {
      description
          .append(System.lineSeparator())
          .append("    Property: ")
          .append(v.property())
          .append(System.lineSeparator())
          .append("    Value: \"")
          .append(v.value())
          .append('"');
      Origin origin = originOf(v.property());
      if (origin != null) {
        description.append(System.lineSeparator()).append("    Origin: ").append(origin);
      }
      description
          .append(System.lineSeparator())
          .append("    Reason: ")
          .append(v.property())
          .append(' ')
          .append(v.reason())
          .append(System.lineSeparator());
      action
          .append(System.lineSeparator())
          .append("    - change ")
          .append(v.property())
          .append(" (now \"")
          .append(v.value())
          .append("\"): it ")
          .append(v.reason());
    }
    return new FailureAnalysis(description.toString(), action.toString(), cause);
  }

  private @Nullable Origin originOf(String property) {
    if (environment == null || !ConfigurationPropertyName.isValid(property)) {
      return null;
    }
    ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty found = source.getConfigurationProperty(name);
      if (found != null) {
        return found.getOrigin();
      }
    }
    return null;
  }
}
