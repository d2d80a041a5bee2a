package io.connmgr.actuate;

import io.connmgr.PeerId;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of {@link ConnmgrEndpoint}: {@code GET /actuator/connmgr/{peer}} answers 404 for
 * a peer the manager does not know; {@code POST /actuator/connmgr} takes {@code
 * {"action":"trim"}} and {@code POST /actuator/connmgr/{peer}} takes {@code
 * {"action":"pin"|"unpin"|"evict"}}. An invalid peer id, a missing or unknown action answers 400
 * with {@code {"error": ..., "message": ...}} and changes nothing.
 */
@EndpointWebExtension(endpoint = ConnmgrEndpoint.class)
public class ConnmgrEndpointWebExtension {

  private final ConnmgrEndpoint delegate;

  /** An extension of {@code delegate}. */
  public ConnmgrEndpointWebExtension(ConnmgrEndpoint delegate) {
    this.delegate = delegate;
  }

  /** One peer in full, 404 if unknown, 400 if the id is invalid. */
  @ReadOperation
  public WebEndpointResponse<Object> peer(@Selector String peer) {
    try {
      PeerId id = ConnmgrEndpoint.parse(peer);
      return delegate.peerDetail(id).<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
          .orElseGet(() -> notFound(id));
    } catch (InvalidEndpointRequestException e) {
      return badRequest(e);
    }
  }

  /** Runs {@code {"action":"trim"}}; 400 for any other action. */
  @WriteOperation
  public WebEndpointResponse<Object> trim(@Nullable String action) {
    try {
      ConnmgrEndpoint.checkAction(action, ConnmgrEndpoint.TRIM_ACTIONS);
    } catch (InvalidEndpointRequestException e) {
      return badRequest(e);
    }
    return new WebEndpointResponse<>(delegate.trim(action));
  }

  /** Runs a peer action; 400 for an invalid id or action, 404 to evict an unknown peer. */
  @WriteOperation
  public WebEndpointResponse<Object> peerAction(@Selector String peer, @Nullable String action) {
    PeerId id;
    String checked;
    try {
      id = ConnmgrEndpoint.parse(peer);
      checked = ConnmgrEndpoint.checkAction(action, ConnmgrEndpoint.PEER_ACTIONS);
    } catch (InvalidEndpointRequestException e) {
      return badRequest(e);
    }
    return delegate.act(id, checked).<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
        .orElseGet(() -> notFound(id));
  }

  private static WebEndpointResponse<Object> badRequest(InvalidEndpointRequestException e) {
    return new WebEndpointResponse<>(
        Map.of("status", WebEndpointResponse.STATUS_BAD_REQUEST, "error", "Bad Request",
            "message", String.valueOf(e.getMessage())),
        WebEndpointResponse.STATUS_BAD_REQUEST);
  }

  private static WebEndpointResponse<Object> notFound(PeerId id) {
    return new WebEndpointResponse<>(
        Map.of("status", WebEndpointResponse.STATUS_NOT_FOUND, "error", "Not Found",
            "message", "no connection manager entry for peer \"" + id.value() + "\""),
        WebEndpointResponse.STATUS_NOT_FOUND);
  }
}
