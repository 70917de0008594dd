package io.flowtap.flow;

import io.flowtap.flow.FlowTable.FlowId;
import io.flowtap.schema.Sha1;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

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
}
