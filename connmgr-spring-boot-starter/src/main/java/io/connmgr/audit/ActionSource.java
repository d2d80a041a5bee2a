package io.connmgr.audit;

/** Where an operator action came from; a meter tag, so a closed set. */
public enum ActionSource {
  /** The admin console's buttons. */
  CONSOLE,
  /** The {@code connmgr} Actuator endpoint (HTTP or JMX). */
  ACTUATOR,
  /** The application's own code, through {@link OperatorActions}. */
  API
}
