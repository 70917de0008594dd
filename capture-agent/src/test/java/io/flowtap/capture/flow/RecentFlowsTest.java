package io.flowtap.capture.flow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The table keeps and lets go the same flows, in the same order, as the JDK's access-ordered {@link
 * LinkedHashMap} bounded by {@code removeEldestEntry}.
 */
class RecentFlowsTest {
    private static final class Flow extends RecentFlows.Node {
        final String name;

        Flow(String name) {
            this.name = name;
        }
    }

    /** The key as the assembler writes it: in a longer buffer, with garbage after its length. */
    private static byte[] buffer(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = Arrays.copyOf(bytes, bytes.length + 7);
        Arrays.fill(buffer, bytes.length, buffer.length, (byte) 0x5a);
        return buffer;
    }

    private static Flow get(RecentFlows<Flow> table, String key) {
        byte[] b = buffer(key);
        int n = key.length();
        return table.get(b, n, RecentFlows.hash(b, n));
    }

    private static void put(RecentFlows<Flow> table, String key) {
        byte[] b = buffer(key);
        int n = key.length();
        table.put(b, n, RecentFlows.hash(b, n), new Flow(key));
    }

    @Test
    void behavesAsAnAccessOrderedLinkedHashMapOverRandomOperations() {
        for (int maxFlows : new int[] {1, 3, 50, 700, 5000}) {
            List<String> evicted = new ArrayList<>();
            List<String> expectedEvicted = new ArrayList<>();
            RecentFlows<Flow> table = new RecentFlows<>(maxFlows, f -> evicted.add(f.name));
            Map<String, String> oracle =
                    new LinkedHashMap<>(16, 0.75f, true) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                            if (size() <= maxFlows) {
                                return false;
                            }
                            expectedEvicted.add(eldest.getKey());
                            return true;
                        }
                    };
            Random random = new Random(maxFlows);
            int keys = maxFlows * 3 + 5;
            for (int step = 0; step < 200_000; step++) {
                // Keys of every length from 1 to 40 bytes, so the hash's tail and words both count.
                int k = random.nextInt(keys);
                String key = "k" + k + "-".repeat(k % 33);
                Flow found = get(table, key);
                String expected = oracle.get(key);
                if (expected == null) {
                    assertThat(found).as("step %d, key %s", step, key).isNull();
                    put(table, key);
                    oracle.put(key, key);
                } else {
                    assertThat(found).as("step %d, key %s", step, key).isNotNull();
                    assertThat(found.name).isEqualTo(key);
                }
                assertThat(table.size()).isEqualTo(oracle.size());
            }
            assertThat(evicted).isEqualTo(expectedEvicted);
            assertThat(evicted).isNotEmpty();
            for (String key : oracle.keySet()) {
                assertThat(get(table, key)).as(key).isNotNull();
            }
        }
    }

    @Test
    void aKeyIsItsBytesUpToItsLengthAndNoFurther() {
        RecentFlows<Flow> table = new RecentFlows<>(10, f -> {});
        put(table, "abcdefgh12");
        assertThat(get(table, "abcdefgh1")).isNull();
        assertThat(get(table, "abcdefgh123")).isNull();
        assertThat(get(table, "abcdefgh12").name).isEqualTo("abcdefgh12");
    }

    @Test
    void refusesATableOfNoFlows() {
        assertThatThrownBy(() -> new RecentFlows<Flow>(0, f -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFlows");
    }
}
