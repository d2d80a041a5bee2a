package io.connmgr.actuate;

import io.connmgr.PeerId;
import io.connmgr.audit.Operator;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of {@link ConnmgrEndpoint}: {@code GET /actuator/connmgr/{peer}} answers 404 for a
 * peer the manager does not know, {@code GET /actuator/connmgr/audit} the audit trail; {@code POST
 * /actuator/connmgr} takes {@code {"action":"trim"}} and {@code POST /actuator/connmgr/{peer}}
 * takes {@code {"action":"pin"|"unpin"|"evict"}}. A write without an authenticated user answers
 * 401, one without the admin role 403 (with Spring Security present); an invalid peer id, a missing
 * or unknown action, or a pin of an unverified id answers 400; a pin the pins file has no room for
 * answers 409. Every error is {@code {"status": ..., "error": ..., "message": ...}} and changes
 * nothing.
 */
@EndpointWebExtension(endpoint = ConnmgrEndpoint.class)
public class ConnmgrEndpointWebExtension {

  private static final int STATUS_CONFLICT = 409;

  private final ConnmgrEndpoint delegate;

  /** An extension of {@code delegate}. */
  public ConnmgrEndpointWebExtension(ConnmgrEndpoint delegate) {
    this.delegate = delegate;
  }

  /** One peer in full (404 if unknown, 400 if the id is invalid), or the audit trail. */
  @ReadOperation
  public WebEndpointResponse<Object> peer(@Selector String peer) {
    if (ConnmgrEndpoint.AUDIT.equals(peer)) {
      return new WebEndpointResponse<>(delegate.audit());
    }
    return answer(
        () -> {
          PeerId id = ConnmgrEndpoint.parse(peer);
          return delegate
              .peerDetail(id)
              .<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
              .orElseGet(() -> notFound(id));
        });
  }

  /** Runs {@code {"action":"trim"}}; 400 for any other action. */
  @WriteOperation
  public WebEndpointResponse<Object> trim(
      SecurityContext securityContext, @Nullable String action) {
    return answer(() -> new WebEndpointResponse<>(delegate.trim(securityContext, action)));
  }

  /** Runs a peer action; 400 for an invalid id or action, 404 to evict an unknown peer. */
  @WriteOperation
  public WebEndpointResponse<Object> peerAction(
      SecurityContext securityContext, @Selector String peer, @Nullable String action) {
    return answer(
        () -> {
          Operator who =
              delegate.authorize(securityContext, action, ConnmgrEndpoint.PEER_ACTIONS, peer);
          PeerId id = ConnmgrEndpoint.parse(peer);
          String checked = ConnmgrEndpoint.checkAction(action, ConnmgrEndpoint.PEER_ACTIONS);
          return delegate
              .act(who, id, checked)
              .<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
              .orElseGet(() -> notFound(id));
        });
  }

  private static WebEndpointResponse<Object> answer(Supplier<WebEndpointResponse<Object>> call) {
    try {
      return call.get();
    } catch (WriteAccess.WriteAccessDeniedException e) {
      return error(e.status(), e.status() == 401 ? "Unauthorized" : "Forbidden", e.getMessage());
    } catch (InvalidEndpointRequestException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", e.getMessage());
    } catch (IllegalStateException e) { // a pin past the pins file's limit, say
      return error(STATUS_CONFLICT, "Conflict", e.getMessage());
    }
  }

  private static WebEndpointResponse<Object> notFound(PeerId id) {
    return error(
        WebEndpointResponse.STATUS_NOT_FOUND,
        "Not Found",
        "no connection manager entry for peer \"" + id.value() + "\"");
  }

  private static WebEndpointResponse<Object> error(
      int status, String error, @Nullable String message) {
    return new WebEndpointResponse<>(
        Map.of("status", status, "error", error, "message", String.valueOf(message)), status);
  }
}
