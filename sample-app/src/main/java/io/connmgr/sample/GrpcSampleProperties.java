package io.connmgr.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code sample.grpc.*} settings: the node's second transport, a gRPC block service on its own
 * port ({@code spring.grpc.server.port}), and the swarm of gRPC clients that fetch from it.
 *
 * @param clients how many gRPC clients the swarm runs (0 for none)
 * @param chunks how many chunks one fetch streams
 * @param chunkInterval the time between two chunks of a fetch
 * @param pause the most a client waits between two fetches (it waits a random part of it)
 * @param backoff how long an evicted or refused client waits before it connects again
 */
@ConfigurationProperties("sample.grpc")
public record GrpcSampleProperties(
    @DefaultValue("40") int clients,
    @DefaultValue("10") int chunks,
    @DefaultValue("1s") Duration chunkInterval,
    @DefaultValue("8s") Duration pause,
    @DefaultValue("5s") Duration backoff) {}
