package io.connmgr.benchmarks;

import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.Lease;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A stream opened and closed on a connection that holds many leases of its own (a service that
 * leases its connection per request and streams meanwhile): a stream's close releases the leases
 * taken from it, and should not pay for the connection's others.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamCloseBenchmark {

  /** Leases the connection holds while its streams open and close. */
  @Param({"0", "10000"})
  public int leases;

  private ConnectionManager cm;
  private ManagedConnection connection;

  @Setup(Level.Trial)
  public void setUp() {
    cm = ConnectionManager.builder().lowWater(10).highWater(20).build();
    connection =
        cm.connectionOpened(
            PeerId.of("streams"), Direction.INBOUND, "10.0.0.1:4001", Fixture.NO_OP_CLOSER);
    for (int i = 0; i < leases; i++) {
      Lease unused = connection.lease(Duration.ofMinutes(1), LeaseBenchmark.LISTENER);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (cm.stats().activeLeases() != leases) {
      throw new IllegalStateException(
          "stream closes released "
              + (leases - cm.stats().activeLeases())
              + " of the connection's");
    }
    cm.close();
  }

  @Benchmark
  public void openAndCloseAStream() {
    connection.openStream("/echo/1.0.0", Direction.OUTBOUND).close();
  }
}
