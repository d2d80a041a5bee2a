package io.connmgr.console;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when the console's actions should exist: not read-only, and either Spring Security is on
 * the classpath (roles then guard them) or {@code connmgr.console.actions-enabled=true}.
 */
final class ConsoleActionsCondition extends SpringBootCondition {

  static final String SECURITY_CLASS =
      "org.springframework.security.core.context.SecurityContextHolder";

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment env = context.getEnvironment();
    if (env.getProperty("connmgr.console.read-only", Boolean.class, false)) {
      return ConditionOutcome.noMatch("connmgr.console.read-only is true");
    }
    if (ClassUtils.isPresent(SECURITY_CLASS, context.getClassLoader())) {
      return ConditionOutcome.match("Spring Security is present: roles guard the actions");
    }
    if (env.getProperty("connmgr.console.actions-enabled", Boolean.class, false)) {
      return ConditionOutcome.match("connmgr.console.actions-enabled is true");
    }
    return ConditionOutcome.noMatch(
        "Spring Security is absent and connmgr.console.actions-enabled is not true");
  }
}
