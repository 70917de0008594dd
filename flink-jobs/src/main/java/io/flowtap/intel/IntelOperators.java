package io.flowtap.intel;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.job.OperatorIds;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

import java.util.List;

/**
 * The operators of the window drivers: for each such indicator, its observations keyed by what the
 * driver watches, and the driver's decision in event time. Each indicator's operators have uids
 * derived from its name, so a savepoint maps an indicator's state to the same indicator.
 */
public final class IntelOperators {
    private IntelOperators() {}

    /** Whether any indicator has a window driver. */
    public static boolean anyWindowDriver(List<Indicator> indicators) {
        return indicators.stream().anyMatch(i -> !i.driver().perFlow());
    }

    /**
     * @param observations the flow tracker's observations for all window indicators
     * @param updateIntervalMs how long after the time it stands for the tracker may emit an
     *     observation
     * @return the records of every window indicator; null when there are none
     */
    public static DataStream<TelemetryRecord> apply(
            DataStream<IntelObservation> observations,
            List<Indicator> indicators,
            long updateIntervalMs) {
        DataStream<TelemetryRecord> all = null;
        for (int i = 0; i < indicators.size(); i++) {
            Indicator ind = indicators.get(i);
            if (ind.driver().perFlow()) {
                continue;
            }
            int index = i;
            KeyedStream<IntelObservation, String> keyed =
                    observations
                            .filter(o -> o.indicator == index)
                            .uid(OperatorIds.intelObservations(ind.name()))
                            .name("Intel observations (" + ind.name() + ")")
                            .keyBy(keyOf(ind.driver()));
            DataStream<TelemetryRecord> records;
            if (ind.driver().match() == IntelDriver.Match.NEW_DEVICE) {
                records =
                        keyed.process(
                                        new NewDeviceDetector(ind),
                                        TypeInformation.of(TelemetryRecord.class))
                                .uid(OperatorIds.intel(ind.name()))
                                .name("Intel (" + ind.name() + ")");
            } else {
                ObservationWindows windows =
                        new ObservationWindows(ind.windowMs(), updateIntervalMs + 1);
                records =
                        keyed.window(windows)
                                .process(
                                        detector(ind, windows),
                                        TypeInformation.of(TelemetryRecord.class))
                                .uid(OperatorIds.intel(ind.name()))
                                .name("Intel (" + ind.name() + ")");
            }
            all = all == null ? records : all.union(records);
        }
        return all;
    }

    private static WindowDetector detector(Indicator ind, ObservationWindows windows) {
        switch (ind.driver().match()) {
            case PORT_SCAN:
            case HOST_SCAN:
                return new ScanDetector(ind, windows);
            case DNS_TUNNEL:
                return new DnsTunnelDetector(ind, windows);
            case UPLOAD_ANOMALY:
                return new UploadAnomalyDetector(ind, windows);
            default:
                throw new IllegalArgumentException(ind.driver().tag() + " is not a window driver");
        }
    }

    private static KeySelector<IntelObservation, String> keyOf(IntelDriver driver) {
        switch (driver.match()) {
            case NEW_DEVICE:
                return new ByMac();
            case DNS_TUNNEL:
                return new ByDomain();
            default:
                return new ByLocalAddress();
        }
    }

    /** Agent and local address. */
    static final class ByLocalAddress implements KeySelector<IntelObservation, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(IntelObservation o) {
            return o.agentId + "/" + o.localIp;
        }
    }

    /** Agent and local MAC address. */
    static final class ByMac implements KeySelector<IntelObservation, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(IntelObservation o) {
            return o.agentId + "/" + o.localMac;
        }
    }

    /** Agent, local address and the registrable domain of the name asked for. */
    static final class ByDomain implements KeySelector<IntelObservation, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(IntelObservation o) {
            return DnsTunnelDetector.keyOf(o);
        }
    }
}
