package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The operators shared by every job: packet events in, telemetry records and Parquet rows out.
 * Backfill and streaming differ only in the source and sinks they attach.
 */
public final class FlowPipeline {
    /** What the pipeline produces. */
    public static final class Outputs {
        /** Every telemetry record (flow, flow_stats, flow_purge). */
        public final DataStream<TelemetryRecord> telemetry;

        /** One row per purged flow. */
        public final DataStream<FlowRow> flowRows;

        Outputs(DataStream<TelemetryRecord> telemetry, DataStream<FlowRow> flowRows) {
            this.telemetry = telemetry;
            this.flowRows = flowRows;
        }
    }

    private FlowPipeline() {}

    public static Outputs apply(DataStream<PacketEvent> packets, FlowSettings settings) {
        SingleOutputStreamOperator<TelemetryRecord> telemetry =
                packets.keyBy(new FlowKeySelector())
                        .process(
                                new FlowTracker(settings),
                                TypeInformation.of(TelemetryRecord.class))
                        .uid(OperatorIds.FLOW_TRACKER)
                        .name("Flow tracker");
        return new Outputs(telemetry, telemetry.getSideOutput(FlowTracker.FLOW_ROWS));
    }
}
