package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class GrpcCallCutterTests {

  @Test
  void aReasonReadsBackUnchangedThroughGrpcsOwnStatusMessageDecoding() {
    String reason = "évincé: 100% \"low\" score\nnext line ✓";
    String wire = GrpcCallCutter.percentEncode(reason);

    assertThat(wire).isEqualTo("%C3%A9vinc%C3%A9: 100%25 \"low\" score%0Anext line %E2%9C%93");
    Metadata trailers = new Metadata();
    trailers.put(Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER), wire);
    assertThat(trailers.get(InternalStatus.MESSAGE_KEY)).isEqualTo(reason);
  }

  @Test
  void theCutCallsEndUnavailable() {
    assertThat(Integer.parseInt(GrpcCallCutter.UNAVAILABLE))
        .isEqualTo(Status.Code.UNAVAILABLE.value());
  }
}
