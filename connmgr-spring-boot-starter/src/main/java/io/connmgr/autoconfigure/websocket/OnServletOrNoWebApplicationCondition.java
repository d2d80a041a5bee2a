package io.connmgr.autoconfigure.websocket;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;

/**
 * Matches a servlet web application or an application that is no web application at all (a
 * WebSocket client); never a reactive one, which gets the WebFlux adapter.
 */
class OnServletOrNoWebApplicationCondition extends AnyNestedCondition {

  OnServletOrNoWebApplicationCondition() {
    super(ConfigurationPhase.PARSE_CONFIGURATION);
  }

  @ConditionalOnWebApplication(type = Type.SERVLET)
  static class ServletApplication {}

  @ConditionalOnNotWebApplication
  static class NoWebApplication {}
}
