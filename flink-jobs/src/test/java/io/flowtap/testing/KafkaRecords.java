package io.flowtap.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Reads whole topics back from a real broker, as a dashboard's consumer would. */
public final class KafkaRecords {
    private KafkaRecords() {}

    /**
     * Every record of the topics from the beginning to their current end, as UTF-8 strings.
     *
     * @param readCommitted {@code read_committed} (only committed transactions) or {@code
     *     read_uncommitted} (everything written, aborted transactions included)
     */
    public static List<String> values(
            String bootstrap, List<String> topics, boolean readCommitted) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records(bootstrap, topics, readCommitted)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    public static List<ConsumerRecord<byte[], byte[]>> records(
            String bootstrap, List<String> topics, boolean readCommitted) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, readCommitted)) {
            List<TopicPartition> partitions = partitions(c, topics);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // The end a read_committed consumer can reach is the last stable offset.
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to the end");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Every committed record of the topics of writers that have ended, once every transaction on
     * them has ended. A transaction's commit returns before its markers are in the partitions, and
     * until they are, a {@code read_committed} consumer's end (the last stable offset) stays before
     * the transaction's records: read at once, it would see none of them.
     */
    public static List<ConsumerRecord<byte[], byte[]>> committedOfEndedWriters(
            String bootstrap, List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrap, true);
                KafkaConsumer<byte[], byte[]> all = consumer(bootstrap, false)) {
            List<TopicPartition> partitions = partitions(committed, topics);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!committed.endOffsets(partitions).equals(all.endOffsets(partitions))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a transaction on " + topics + " never ended");
                }
                sleep();
            }
        }
        return records(bootstrap, topics, true);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<?, ?> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics) {
            for (PartitionInfo info : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(t, info.partition()));
            }
        }
        return partitions;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
