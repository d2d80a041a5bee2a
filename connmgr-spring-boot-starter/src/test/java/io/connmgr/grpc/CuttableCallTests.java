package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.ManagedStream;
import io.connmgr.PeerId;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CuttableCallTests {

  private final ConnectionManager manager =
      ConnectionManager.builder().maintenanceInterval(Duration.ZERO).build();
  private final ManagedStream stream =
      manager
          .connectionOpened(PeerId.of("p"), Direction.INBOUND, "127.0.0.1:1", why -> {})
          .openStream("svc/Watch", Direction.INBOUND);

  @SuppressWarnings("unchecked")
  private final ServerCall<String, String> grpcCall = mock(ServerCall.class);

  private final CuttableCall<String, String> call = new CuttableCall<>(grpcCall, stream);

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void aCutClosesTheCallUnavailableWithTheReasonAndDropsWhatTheApplicationDoesAfter() {
    call.cut("operator: drain");
    call.sendMessage("late");
    call.close(Status.OK, new Metadata());

    verify(grpcCall)
        .close(
            argThat(
                s ->
                    s.getCode() == Status.Code.UNAVAILABLE
                        && "operator: drain".equals(s.getDescription())),
            any());
    verify(grpcCall, never()).sendMessage(any());
    verify(grpcCall, never()).close(argThat(Status::isOk), any());
    assertThat(call.wasCut()).isTrue();
    assertThat(manager.inspect().snapshot().connections().get(0).streamCount()).isZero();
  }

  @Test
  void aCutAfterTheApplicationClosedTheCallDoesNothing() {
    call.close(Status.OK, new Metadata());
    call.cut("operator: drain");

    verify(grpcCall).close(any(), any());
    assertThat(call.wasCut()).isFalse();
  }
}
