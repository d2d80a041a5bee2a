package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;

/**
 * Customizes the builder of the auto-configured {@link ConnectionManager} after the {@code
 * connmgr.*} properties are applied, for what properties do not cover (a clock, for instance); the
 * builder then checks the whole configuration. Background upkeep stays with the starter's
 * lifecycle, at {@code connmgr.maintenance-interval}.
 */
@FunctionalInterface
public interface ConnectionManagerBuilderCustomizer {

  /** Changes the builder. */
  void customize(ConnectionManager.Builder builder);
}
