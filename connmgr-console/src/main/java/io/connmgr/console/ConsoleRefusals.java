package io.connmgr.console;

import io.connmgr.PeerId;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import io.connmgr.audit.OperatorActions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.method.HandlerMethod;

/**
 * Puts a console action refused before it ran on the audit trail, as the actuator does: a user
 * without the admin role, a pin of a peer already pinned, an unpin of one not pinned. Refusals are
 * kept apart from the actions carried out, so they cannot push those off the trail.
 */
final class ConsoleRefusals {

  private final OperatorActions actions;
  private final ConsoleAccess access;

  ConsoleRefusals(OperatorActions actions, ConsoleAccess access) {
    this.actions = actions;
    this.access = access;
  }

  /** Records a refused action on {@code target}. */
  void refused(OperatorAction action, String target, String why) {
    actions.refused(
        new Operator(access.who(), ActionSource.CONSOLE), action, target, "refused: " + why);
  }

  /**
   * Records a POST to an action handler refused before it ran; the target is what the form named,
   * if it is a valid peer id or connection id.
   */
  void refused(HttpServletRequest request, HandlerMethod handler, String why) {
    action(request, handler).ifPresent(action -> refused(action, target(action, request), why));
  }

  private static Optional<OperatorAction> action(
      HttpServletRequest request, HandlerMethod handler) {
    if (!"POST".equals(request.getMethod())) {
      return Optional.empty(); // the confirmation page acts on nothing
    }
    String name = handler.getMethod().getName().toUpperCase(Locale.ROOT);
    for (OperatorAction action : OperatorAction.values()) {
      if (action.name().equals(name)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  private static String target(OperatorAction action, HttpServletRequest request) {
    return switch (action) {
      case TRIM -> OperatorActions.MANAGER;
      case EVICT -> connection(request.getParameter("id"));
      case PIN, UNPIN -> peer(request.getParameter("peer"));
    };
  }

  private static String connection(@Nullable String id) {
    try {
      return "connection " + ConsoleActionController.connectionId(id);
    } catch (ConsoleInputException e) {
      return "an invalid connection id";
    }
  }

  private static String peer(@Nullable String peer) {
    return peer != null && PeerId.isValid(peer) ? peer : "an invalid peer id";
  }
}
