package io.flowtap.flow;

import io.flowtap.flow.FlowTable.FlowId;
import io.flowtap.schema.Sha1;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowTableTest {
    private static FlowId id(String agent, int n) {
        byte[] digest = new byte[20];
        digest[19] = (byte) n;
        return new FlowId(agent, new Sha1(digest));
    }

    private static List<String> fireUpTo(FlowTable t, long watermark) {
        List<String> fired = new ArrayList<>();
        while (t.timerCount() > 0 && t.nextTimerMs() <= watermark) {
            long time = t.nextTimerMs();
            FlowId id = t.pollTimer();
            fired.add(time + ":" + id.agentId() + id.digest().bytes()[19]);
        }
        return fired;
    }

    @Test
    void flowsAreFoundByAgentAndDigestBytes() {
        FlowTable t = new FlowTable();
        FlowState a = new FlowState();
        FlowState b = new FlowState();
        t.put(id("a", 1), a);
        t.put(id("b", 1), b);
        // Equal digests in other arrays find the same flow; another agent's does not.
        assertThat(t.get(id("a", 1))).isSameAs(a);
        assertThat(t.get(id("b", 1))).isSameAs(b);
        assertThat(t.get(id("a", 2))).isNull();
        assertThat(t.size()).isEqualTo(2);
        t.remove(id("a", 1));
        assertThat(t.get(id("a", 1))).isNull();
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void timersFireInTimeOrderThenInTheOrderTheyWereSet() {
        FlowTable t = new FlowTable();
        t.registerTimer(id("a", 3), 30_000);
        t.registerTimer(id("a", 1), 15_000);
        t.registerTimer(id("a", 2), 15_000);
        t.registerTimer(id("a", 4), 45_000);

        assertThat(t.nextTimerMs()).isEqualTo(15_000);
        assertThat(fireUpTo(t, 30_000)).containsExactly("15000:a1", "15000:a2", "30000:a3");
        assertThat(t.timerCount()).isEqualTo(1);
        assertThat(t.nextTimerMs()).isEqualTo(45_000);
    }

    @Test
    void aFlowHasOneTimerThatMovesWhenSetAgainAndADeletedOneNeverFires() {
        FlowTable t = new FlowTable();
        t.registerTimer(id("a", 1), 15_000);
        t.registerTimer(id("a", 2), 15_000);
        t.registerTimer(id("a", 3), 15_000);
        t.registerTimer(id("a", 1), 15_000); // set there already: keeps its place
        t.registerTimer(id("a", 2), 30_000); // moved: last of its new time
        t.registerTimer(id("a", 4), 30_000);
        assertThat(t.timerCount()).isEqualTo(4);

        t.deleteTimer(id("a", 2), 15_000); // not set then any more: nothing
        t.deleteTimer(id("a", 9), 15_000);
        assertThat(t.timerCount()).isEqualTo(4);
        t.deleteTimer(id("a", 4), 30_000);
        assertThat(t.timerCount()).isEqualTo(3);
        assertThat(fireUpTo(t, Long.MAX_VALUE)).containsExactly("15000:a1", "15000:a3", "30000:a2");
        assertThat(t.timerCount()).isZero();
        assertThat(t.nextTimerMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void flowsAndTimersAreKeptApart() {
        FlowTable t = new FlowTable();
        FlowState a = new FlowState();
        t.registerTimer(id("a", 1), 15_000); // a timer without a flow
        assertThat(t.size()).isZero();
        assertThat(t.get(id("a", 1))).isNull();
        t.put(id("a", 1), a);
        t.put(id("a", 2), new FlowState());
        t.remove(id("a", 2));
        assertThat(t.size()).isEqualTo(1);
        List<String> seen = new ArrayList<>();
        t.forEach((id, flow) -> seen.add(id.agentId() + id.digest().bytes()[19]));
        assertThat(seen).containsExactly("a1");

        // The timer fires for the flow, which stays until removed; then nothing is left.
        assertThat(fireUpTo(t, 20_000)).containsExactly("15000:a1");
        assertThat(t.get(id("a", 1))).isSameAs(a);
        t.remove(id("a", 1));
        assertThat(t.size()).isZero();
        assertThat(t.get(id("a", 1))).isNull();
    }

    @Test
    void digestsDifferingInAnyByteAreDifferentFlows() {
        FlowTable t = new FlowTable();
        for (int i = 0; i < 20; i++) {
            byte[] d = new byte[20];
            d[i] = 1;
            t.put(new FlowId("a", new Sha1(d)), new FlowState());
        }
        assertThat(t.size()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            byte[] d = new byte[20];
            d[i] = 1;
            assertThat(t.get(new FlowId("a", new Sha1(d.clone())))).as("byte %d", i).isNotNull();
        }
        assertThat(t.get(new FlowId("a", new Sha1(new byte[20])))).isNull();
        assertThatThrownBy(() -> new FlowId("a", new Sha1(new byte[19])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 bytes");
    }

    /** As a flow's timer moving on to its next tick while the watermark is past both. */
    @Test
    void timersSetWhileFiringFireInTheSameRoundWhenDue() {
        FlowTable t = new FlowTable();
        t.registerTimer(id("a", 1), 15_000);
        t.registerTimer(id("a", 2), 15_000);
        List<String> fired = new ArrayList<>();
        while (t.timerCount() > 0 && t.nextTimerMs() <= 40_000) {
            long time = t.nextTimerMs();
            FlowId id = t.pollTimer();
            fired.add(time + ":" + id.digest().bytes()[19]);
            if (time < 30_000) {
                t.registerTimer(id, time + 15_000);
            }
        }
        assertThat(fired).containsExactly("15000:1", "15000:2", "30000:1", "30000:2");
        assertThat(t.timerCount()).isZero();
    }

    @Test
    void pollingWithoutTimersIsAnError() {
        assertThatThrownBy(() -> new FlowTable().pollTimer())
                .isInstanceOf(NoSuchElementException.class);
    }

    /**
     * Random operations on flows whose digests share their first eight bytes in groups (so that
     * their hashes collide and runs of entries form, grow past resizes, wrap around the table's end
     * and lose members from the middle), each checked against a plain model: a map of flows and one
     * of timers with the order they were set in. Many flows for a large table; few, in several
     * rounds, for a small one whose runs often wrap around.
     */
    @Test
    void randomOperationsAgreeWithAPlainModel() {
        checkAgainstModel(3_000, 40, 200_000, 20261204L);
        for (long seed = 1; seed <= 50; seed++) {
            checkAgainstModel(30, 3, 5_000, seed);
            checkAgainstModel(31, 0, 5_000, seed);
        }
    }

    /**
     * @param groups how many distinct hashes the ids have, or 0 for random ones
     */
    private static void checkAgainstModel(int flowIds, int groups, int steps, long seed) {
        Random random = new Random(seed);
        FlowId[] ids = new FlowId[flowIds];
        for (int i = 0; i < ids.length; i++) {
            byte[] digest = new byte[20];
            random.nextBytes(digest);
            if (groups > 0) {
                digest[0] = (byte) (i % groups);
                for (int b = 1; b < 8; b++) {
                    digest[b] = 0;
                }
            }
            ids[i] = new FlowId(i % 7 == 0 ? "b" : "a", new Sha1(digest));
        }
        FlowTable t = new FlowTable();
        Map<Integer, FlowState> flows = new HashMap<>();
        Map<Integer, long[]> timers = new HashMap<>(); // time, order set
        long order = 0;
        for (int step = 0; step < steps; step++) {
            int n = random.nextInt(ids.length);
            // Copies of the key, as the operator makes one per event.
            FlowId id = new FlowId(ids[n].agentId(), new Sha1(ids[n].digest().bytes().clone()));
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    FlowState f = new FlowState();
                    t.put(id, f);
                    flows.put(n, f);
                }
                case 2 -> {
                    t.remove(id);
                    flows.remove(n);
                }
                case 3 -> {
                    long time = 1_000L * random.nextInt(20);
                    t.registerTimer(id, time);
                    long[] set = timers.get(n);
                    if (set == null || set[0] != time) {
                        timers.put(n, new long[] {time, order++});
                    }
                }
                case 4 -> {
                    long time = 1_000L * random.nextInt(20);
                    t.deleteTimer(id, time);
                    long[] set = timers.get(n);
                    if (set != null && set[0] == time) {
                        timers.remove(n);
                    }
                }
                default -> {
                    if (!timers.isEmpty() && random.nextInt(4) == 0) {
                        int due =
                                timers.entrySet().stream()
                                        .min(
                                                (x, y) ->
                                                        x.getValue()[0] != y.getValue()[0]
                                                                ? Long.compare(
                                                                        x.getValue()[0],
                                                                        y.getValue()[0])
                                                                : Long.compare(
                                                                        x.getValue()[1],
                                                                        y.getValue()[1]))
                                        .get()
                                        .getKey();
                        assertThat(t.nextTimerMs()).isEqualTo(timers.get(due)[0]);
                        assertThat(t.pollTimer()).isEqualTo(ids[due]);
                        timers.remove(due);
                    }
                }
            }
            assertThat(t.get(id)).isSameAs(flows.get(n));
            assertThat(t.size()).isEqualTo(flows.size());
            assertThat(t.timerCount()).isEqualTo(timers.size());
        }
        for (int n = 0; n < ids.length; n++) {
            assertThat(t.get(ids[n])).as("flow %d", n).isSameAs(flows.get(n));
        }
        Map<FlowId, FlowState> listed = new HashMap<>();
        t.forEach(listed::put);
        assertThat(listed).hasSize(flows.size());
        flows.forEach((n, f) -> assertThat(listed.get(ids[n])).isSameAs(f));
    }
}
