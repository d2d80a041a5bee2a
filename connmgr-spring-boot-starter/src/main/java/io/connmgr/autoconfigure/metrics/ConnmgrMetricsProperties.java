package io.connmgr.autoconfigure.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code connmgr.metrics.*} settings of the starter's Micrometer meters.
 *
 * @param scoreDistributions whether rounds record their score distributions ({@code
 *     connmgr.scores}, {@code connmgr.scorer.scores}, {@code connmgr.round.connections}); off,
 *     those meters are not registered and rounds hand the meters nothing to record
 */
@ConfigurationProperties("connmgr.metrics")
public record ConnmgrMetricsProperties(@DefaultValue("true") boolean scoreDistributions) {}
