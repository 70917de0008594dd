package io.flowtap.capture.agent;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends an agent's events to Kafka: packet events keyed by agent and flow digest (so both
 * directions of a flow land in one partition), status records keyed by agent. Idempotent, batched
 * and compressed; a send that fails after the producer's retries is counted, never thrown at the
 * capture.
 */
final class KafkaPublisher implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final AgentSettings settings;
    private final byte[] agentKey;

    /** Packet events acknowledged by Kafka, and those that failed for good. */
    final AtomicLong sent = new AtomicLong();

    final AtomicLong sendFailed = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();

    /** Markers and status records that failed. */
    final AtomicLong otherFailed = new AtomicLong();

    private volatile String lastError;

    KafkaPublisher(AgentSettings settings) {
        this.settings = settings;
        this.agentKey = settings.agentId.getBytes(StandardCharsets.UTF_8);
        this.producer =
                new KafkaProducer<>(
                        properties(settings), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Properties properties(AgentSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "flowtap-agent-" + settings.agentId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // Waiting for metadata must never hold the publisher for long: the queue in front of it
        // absorbs short outages and counts what it cannot hold.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        settings.producerProperties.forEach(p::put);
        return p;
    }

    /**
     * Sends a packet event. Blocks only while the producer has no metadata for the topic or its
     * buffer is full (up to max.block.ms).
     *
     * @return false when the producer refused the event (counted as failed): Kafka is out of reach
     *     or too slow
     */
    boolean send(PacketEvent event) throws IOException {
        byte[] value = PacketEvents.encode(event);
        byte[] digest = event.getFlow().getDigest().bytes();
        byte[] key = new byte[agentKey.length + 1 + digest.length];
        System.arraycopy(agentKey, 0, key, 0, agentKey.length);
        key[agentKey.length] = '/';
        System.arraycopy(digest, 0, key, agentKey.length + 1, digest.length);
        return send(new ProducerRecord<>(settings.packetTopic, key, value), sent, sendFailed);
    }

    /** Counts a packet event that was never handed to the producer as failed. */
    void countUndelivered() {
        sendFailed.incrementAndGet();
    }

    /** Sends one of the agent's own telemetry records to the status topic. */
    void sendStatus(byte[] json) {
        send(new ProducerRecord<>(settings.statusTopic, agentKey, json), null, otherFailed);
    }

    /**
     * Sends an end-of-capture marker to every partition of the packet topic, after everything sent
     * so far.
     */
    void sendEndOfCapture(String interfaceName, long lastPacketNs) throws IOException {
        List<PartitionInfo> partitions = producer.partitionsFor(settings.packetTopic);
        byte[] value =
                PacketEvents.encode(
                        PacketEvents.endOfCapture(settings.agentId, interfaceName, lastPacketNs));
        for (PartitionInfo p : partitions) {
            send(
                    new ProducerRecord<>(settings.packetTopic, p.partition(), agentKey, value),
                    null,
                    otherFailed);
        }
    }

    private boolean send(ProducerRecord<byte[], byte[]> record, AtomicLong ok, AtomicLong failed) {
        int size = record.value().length;
        try {
            Future<RecordMetadata> f =
                    producer.send(
                            record,
                            (metadata, e) -> {
                                if (e == null) {
                                    if (ok != null) {
                                        ok.incrementAndGet();
                                    }
                                    bytesSent.addAndGet(size);
                                } else {
                                    failed.incrementAndGet();
                                    lastError = e.toString();
                                }
                            });
            // The producer reports a refusal (no metadata within max.block.ms, buffer exhausted)
            // through an already failed future rather than by throwing.
            return !failedAlready(f);
        } catch (RuntimeException e) {
            // Metadata not available within max.block.ms, buffer exhausted, or closed.
            failed.incrementAndGet();
            lastError = e.toString();
            return false;
        }
    }

    private static boolean failedAlready(Future<RecordMetadata> f) {
        if (!f.isDone()) {
            return false;
        }
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until everything handed over so far is acknowledged or has failed. */
    void flush() {
        producer.flush();
    }

    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
