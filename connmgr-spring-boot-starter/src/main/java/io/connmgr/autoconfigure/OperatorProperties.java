package io.connmgr.autoconfigure;

import io.connmgr.actuate.WriteAccess;
import io.connmgr.audit.AuditTrail;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code connmgr.operator.*} settings: who may act through the actuator endpoint and how much
 * of the audit trail is kept. Bad values fail start-up through {@link
 * ConnmgrPropertiesFailureAnalyzer}, as the other {@code connmgr.*} settings do.
 *
 * @param role the role (without the {@code ROLE_} prefix) the endpoint's writes need whenever
 *     Spring Security is present
 * @param auditSize how many operator actions the audit trail keeps, in [1, 100000]
 */
@ConfigurationProperties("connmgr.operator")
public record OperatorProperties(
    @DefaultValue(WriteAccess.DEFAULT_ROLE) String role,
    @DefaultValue("" + AuditTrail.DEFAULT_SIZE) int auditSize) {

  /** The largest audit trail, in entries. */
  public static final int MAX_AUDIT_SIZE = 100_000;

  /** Checks the values. */
  public OperatorProperties {
    List<InvalidConnmgrPropertiesException.Violation> violations = new ArrayList<>();
    if (role == null || role.isBlank() || role.chars().anyMatch(Character::isWhitespace)) {
      violations.add(
          new InvalidConnmgrPropertiesException.Violation(
              "connmgr.operator.role",
              String.valueOf(role),
              "must be a role name without whitespace, such as CONNMGR_ADMIN"));
    }
    if (auditSize < 1 || auditSize > MAX_AUDIT_SIZE) {
      violations.add(
          new InvalidConnmgrPropertiesException.Violation(
              "connmgr.operator.audit-size",
              String.valueOf(auditSize),
              "must be in [1, " + MAX_AUDIT_SIZE + "]"));
    }
    if (!violations.isEmpty()) {
      throw new InvalidConnmgrPropertiesException(violations);
    }
  }
}
