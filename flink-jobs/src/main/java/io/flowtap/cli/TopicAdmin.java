package io.flowtap.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the stream command asks of Kafka around its job: topics, offsets, committed records. */
final class TopicAdmin implements AutoCloseable {
    private static final long TIMEOUT_S = 30;

    private final Map<String, String> clientProperties;
    private final Admin admin;

    TopicAdmin(String bootstrapServers, Map<String, String> clientProperties) {
        this.clientProperties = new HashMap<>(clientProperties);
        this.clientProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Properties p = new Properties();
        p.putAll(this.clientProperties);
        this.admin = Admin.create(p);
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    void createMissing(Map<String, Integer> partitionsByTopic) throws IOException {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((t, n) -> topics.add(new NewTopic(t, n, (short) -1)));
        var result = admin.createTopics(topics);
        for (var e : result.values().entrySet()) {
            try {
                e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IOException(
                            "cannot create topic " + e.getKey() + ": " + ex.getCause(), ex);
                }
            } catch (TimeoutException ex) {
                throw new IOException("creating topic " + e.getKey() + " timed out", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
        }
    }

    /**
     * Checks that the topics exist, before a job is started that would otherwise wait for their
     * metadata and fail a minute later.
     */
    void requireTopics(List<String> topics, String owner) throws IOException {
        String servers = clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try {
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause()
                    instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                throw new IOException(
                        owner
                                + ": a topic of "
                                + topics
                                + " does not exist at "
                                + servers
                                + "; create it (or let the brokers create topics:"
                                + " auto.create.topics.enable)",
                        e);
            }
            throw new IOException(owner + ": Kafka at " + servers + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IOException(
                    owner + ": cannot reach Kafka at " + servers + " within " + TIMEOUT_S + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The next offset to be written in every partition of the topics. */
    Map<TopicPartition, Long> endOffsets(List<String> topics) throws IOException {
        try {
            Map<String, TopicDescription> d =
                    admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            d.forEach(
                    (topic, desc) ->
                            desc.partitions()
                                    .forEach(
                                            p ->
                                                    request.put(
                                                            new TopicPartition(
                                                                    topic, p.partition()),
                                                            OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r =
                    admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            r.forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the end offsets of " + topics + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Whether the group has committed at least {@code targets} in every partition. */
    boolean committedReach(String group, Map<TopicPartition, Long> targets) throws IOException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(TIMEOUT_S, TimeUnit.SECONDS);
            for (var e : targets.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the offsets of group " + group + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Counts the committed records of a topic, as a {@code read_committed} consumer sees them. */
    long countCommitted(String topic) throws IOException {
        Map<TopicPartition, Long> end = endOffsets(List.of(topic));
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(end.keySet());
            c.seekToBeginning(end.keySet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("reading " + topic + " to its end timed out");
                }
                count += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
