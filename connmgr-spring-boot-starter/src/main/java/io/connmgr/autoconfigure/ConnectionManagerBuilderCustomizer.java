package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;

/**
 * Customizes the builder of the auto-configured {@link ConnectionManager} after the {@code
 * connmgr.*} properties are applied, for what properties do not cover (a clock, for instance).
 * Background upkeep stays with the starter's lifecycle: leave the maintenance interval at zero.
 */
@FunctionalInterface
public interface ConnectionManagerBuilderCustomizer {

  /** Changes the builder. */
  void customize(ConnectionManager.Builder builder);
}
