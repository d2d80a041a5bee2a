package io.connmgr.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the current user's access before any console handler runs: viewing for the pages, acting
 * for the action controller (its confirmation page included). A refused action is on the audit
 * trail.
 */
final class ConsoleAccessInterceptor implements HandlerInterceptor {

  private final ConsoleAccess access;
  private final ConsoleRefusals refusals;

  ConsoleAccessInterceptor(ConsoleAccess access, ConsoleRefusals refusals) {
    this.access = access;
    this.refusals = refusals;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (handler instanceof HandlerMethod method) {
      Object bean = method.getBean();
      if (bean instanceof ConsoleActionController) {
        try {
          access.checkAct();
        } catch (RuntimeException e) {
          refusals.refused(request, method, String.valueOf(e.getMessage()));
          throw e;
        }
      } else if (bean instanceof ConsoleViewController || bean instanceof ConsoleAuditController) {
        access.checkView();
      }
    }
    return true;
  }
}
