package io.connmgr.audit;

import java.util.Objects;

/**
 * Who acts and from where, as the audit trail records it.
 *
 * @param name the authenticated principal's name, or {@link #ANONYMOUS} when nobody authenticated
 *     (possible only where no security is in place)
 * @param source where the action came from
 */
public record Operator(String name, ActionSource source) {

  /** The name recorded when the request carried no authenticated principal. */
  public static final String ANONYMOUS = "anonymous";

  /** Checks the arguments; a blank name becomes {@link #ANONYMOUS}. */
  public Operator {
    Objects.requireNonNull(source, "source");
    name = name == null || name.isBlank() ? ANONYMOUS : name;
  }
}
