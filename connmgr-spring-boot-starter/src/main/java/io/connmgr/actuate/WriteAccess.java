package io.connmgr.actuate;

import io.connmgr.audit.ActionSource;
import io.connmgr.audit.Operator;
import java.security.Principal;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.util.ClassUtils;

/**
 * Who may run the endpoint's write operations. Whenever Spring Security is on the classpath, a
 * write needs an authenticated principal holding the admin role, whatever security chain the
 * application declares (a chain that lets a viewer through to the endpoint still meets this check).
 * Without Spring Security, writes exist only where the application opted in with {@code
 * management.endpoint.connmgr.access=unrestricted}, and anyone who reaches them may use them.
 */
public final class WriteAccess {

  /** The role a write needs unless configured ({@code connmgr.operator.role}). */
  public static final String DEFAULT_ROLE = "CONNMGR_ADMIN";

  private static final String SPRING_SECURITY =
      "org.springframework.security.core.context.SecurityContextHolder";

  private final String role;
  private final boolean securityPresent;

  /**
   * Checks writes for {@code role} (with or without the {@code ROLE_} prefix) when {@code
   * securityPresent}.
   */
  public WriteAccess(String role, boolean securityPresent) {
    this.role = role.startsWith("ROLE_") ? role.substring("ROLE_".length()) : role;
    this.securityPresent = securityPresent;
  }

  /** Checks for {@code role} whenever Spring Security is on the class path. */
  public static WriteAccess forRole(String role) {
    return new WriteAccess(
        role, ClassUtils.isPresent(SPRING_SECURITY, WriteAccess.class.getClassLoader()));
  }

  /** Whether writes are checked for the role (Spring Security is present). */
  public boolean checksRoles() {
    return securityPresent;
  }

  /** The role a write needs. */
  public String role() {
    return role;
  }

  /**
   * The operator behind a write request.
   *
   * @throws WriteAccessDeniedException (401 without a principal, 403 without the role) when Spring
   *     Security is present and the request may not write
   */
  Operator authorize(SecurityContext context) {
    Principal principal = context.getPrincipal();
    Operator operator =
        new Operator(
            principal == null ? Operator.ANONYMOUS : principal.getName(), ActionSource.ACTUATOR);
    if (!securityPresent) {
      return operator;
    }
    if (principal == null) {
      throw new WriteAccessDeniedException(
          operator,
          401,
          "connmgr endpoint writes need an " + "authenticated user with the role " + role);
    }
    if (!context.isUserInRole(role)) {
      throw new WriteAccessDeniedException(
          operator,
          403,
          "connmgr endpoint writes need the role "
              + role
              + "; "
              + principal.getName()
              + " does not have it");
    }
    return operator;
  }

  /** A write refused for want of authentication or role. */
  static final class WriteAccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Operator operator;
    private final int status;

    WriteAccessDeniedException(Operator operator, int status, String message) {
      super(message, null, false, false);
      this.operator = operator;
      this.status = status;
    }

    Operator operator() {
      return operator;
    }

    int status() {
      return status;
    }
  }
}
