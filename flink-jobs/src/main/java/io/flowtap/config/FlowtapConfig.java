package io.flowtap.config;

import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.flow.FlowSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A configuration directory, read and checked: where each kind of telemetry goes and how flows are
 * tracked. Built by {@link ConfigLoader}.
 *
 * @param directory where it was read from
 * @param flowSettings TTLs, update interval, interfaces
 * @param routes the enabled sink channels of {@code netify-proc-core.json}
 * @param logChannels the channels of {@code netify-sink-log.json} by name
 * @param httpChannels the channels of {@code netify-sink-http.json} by name
 * @param socketChannels the channels of {@code netify-sink-socket.json} by name
 * @param mqtt the broker of {@code netify-sink-mqtt.json}, or null
 * @param kafka the brokers and topics of {@code flowtap-sink-kafka.json}, or null
 * @param parquet the datasets of {@code flowtap-sink-parquet.json}, or null for the command's
 *     default
 * @param aggregators the aggregator instances of {@code netify-proc-aggregator*.json}
 * @param warnings what was read but is not used (files of plugins Flowtap does not run)
 * @param feedPollInterval how often a stream job reads the indicators' data feeds for new versions;
 *     zero for never
 */
public record FlowtapConfig(
        Path directory,
        FlowSettings flowSettings,
        List<Route> routes,
        Map<String, LogChannel> logChannels,
        Map<String, HttpChannel> httpChannels,
        Map<String, SocketChannelConfig> socketChannels,
        MqttConfig mqtt,
        KafkaConfig kafka,
        ParquetConfig parquet,
        List<AggregatorSpec> aggregators,
        List<String> warnings,
        Duration feedPollInterval) {}
