package io.flowtap.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's bytes against Jackson's UTF-8 generator (the library records were rendered with
 * before), and against hand-checked escapes.
 */
class JsonWriterTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    @Test
    void escapesAsHandChecked() {
        assertThat(render("a\"b\\c/d")).isEqualTo("{\"k\":\"a\\\"b\\\\c/d\"}");
        assertThat(render("\b\t\n\f\r")).isEqualTo("{\"k\":\"\\b\\t\\n\\f\\r\"}");
        assertThat(render("\u0000\u0001\u001f\u007f"))
                .isEqualTo("{\"k\":\"\\u0000\\u0001\\u001F\u007f\"}");
        // é is C3 A9 in UTF-8, € is E2 82 AC; a lone surrogate is escaped
        assertThat(bytes("é€"))
                .containsExactly(
                        '{', '"', 'k', '"', ':', '"', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, '"', '}');
        assertThat(render("\ud800")).isEqualTo("{\"k\":\"\\uD800\"}");
    }

    @Test
    void addressesAsTheirTextForms() {
        JsonWriter.Name k = JsonWriter.name("k");
        assertThat(written(new JsonWriter().startObject().field(k).ip(new byte[] {10, 0, 0, 2})))
                .isEqualTo("{\"k\":\"10.0.0.2\"}");
        assertThat(
                        written(
                                new JsonWriter()
                                        .startObject()
                                        .field(k)
                                        .ip(new byte[] {(byte) 255, 99, 100, 9})))
                .isEqualTo("{\"k\":\"255.99.100.9\"}");
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 1;
        assertThat(written(new JsonWriter().startObject().field(k).ip(v6)))
                .isEqualTo("{\"k\":\"2001:db8::1\"}");
        byte[] mac = {0x02, 0x00, 0x5e, 0x10, (byte) 0xab, (byte) 0xff};
        assertThat(written(new JsonWriter().startObject().field(k).mac(mac)))
                .isEqualTo("{\"k\":\"02:00:5e:10:ab:ff\"}");
        assertThat(written(new JsonWriter().startObject().field(k).mac(null)))
                .isEqualTo("{\"k\":\"00:00:00:00:00:00\"}");
        // Every octet value, as the text the records used to carry.
        for (int v = 0; v < 256; v++) {
            byte[] a = {(byte) v, (byte) (255 - v), (byte) (v * 7), 1};
            assertThat(written(new JsonWriter().startObject().field(k).ip(a)))
                    .isEqualTo("{\"k\":\"" + Addresses.ip(a) + "\"}");
        }
    }

    private static String written(JsonWriter w) {
        return new String(w.endObject().toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void numbersBooleansNullsAndNesting() throws IOException {
        JsonWriter w = new JsonWriter();
        JsonWriter.Name a = JsonWriter.name("a");
        JsonWriter.Name b = JsonWriter.name("b");
        w.startObject()
                .field(a, 0)
                .field(b, -1234567890123L)
                .field(a)
                .startArray()
                .value(Long.MIN_VALUE)
                .value(Long.MAX_VALUE)
                .value(true)
                .value((String) null)
                .endArray()
                .field(b)
                .startObject()
                .field(a, 1.5f)
                .field(b, false)
                .endObject()
                .field(a)
                .startArray()
                .endArray()
                .endObject();
        String json = new String(w.toByteArray(), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo(
                        "{\"a\":0,\"b\":-1234567890123,\"a\":[-9223372036854775808,"
                                + "9223372036854775807,true,null],\"b\":{\"a\":1.5,\"b\":false},"
                                + "\"a\":[]}");
        assertThat(new ObjectMapper().readTree(json).get("b").get("a").asDouble()).isEqualTo(1.5);
    }

    @Test
    void resetStartsAFreshDocument() {
        JsonWriter w = new JsonWriter();
        JsonWriter.Name a = JsonWriter.name("a");
        w.startObject().field(a, 1).endObject();
        w.reset().startObject().field(a, 2).endObject();
        assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}");
    }

    /** Floats around the whole-number shortcut's edges, and whole numbers of every size below. */
    @Test
    void floatsAsJacksonWritesThem() throws IOException {
        List<Float> values =
                new ArrayList<>(
                        List.of(
                                0f,
                                -0f,
                                1f,
                                -1f,
                                9f,
                                10f,
                                9_999_999f,
                                10_000_000f,
                                16_777_216f,
                                3e9f,
                                -5e9f,
                                0.5f,
                                1e-3f,
                                9.999e-4f,
                                123.25f,
                                Float.MIN_VALUE,
                                Float.MAX_VALUE,
                                -Float.MAX_VALUE,
                                Float.NaN,
                                Float.POSITIVE_INFINITY,
                                Float.NEGATIVE_INFINITY));
        Random random = new Random(20261204L);
        for (int i = 0; i < 20_000; i++) {
            values.add((float) random.nextInt(1 << (1 + random.nextInt(24))));
            values.add(Float.intBitsToFloat(random.nextInt()));
        }
        JsonWriter.Name n = JsonWriter.name("rate");
        for (float v : values) {
            JsonWriter w = new JsonWriter().startObject().field(n, v).endObject();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeNumberField("rate", v);
                g.writeEndObject();
            }
            assertThat(w.toByteArray()).as("%s", v).isEqualTo(out.toByteArray());
        }
    }

    /** 200,000 random strings and numbers, each written by both: the bytes must be equal. */
    @Test
    void sameBytesAsJacksonForRandomValues() throws IOException {
        Random random = new Random(20261202L);
        JsonWriter w = new JsonWriter();
        for (int i = 0; i < 200_000; i++) {
            String name = randomString(random, 12);
            String value = randomString(random, 60);
            long number = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(100_000);
            float rate = random.nextInt(3) == 0 ? random.nextInt(1000) : random.nextFloat() * 1e7f;
            boolean flag = random.nextBoolean();
            JsonWriter.Name n = JsonWriter.name(name);
            w.reset().startObject().field(n, value).field(n, number).field(n, rate);
            w.field(n).startArray().value(value).value(number).endArray();
            w.field(n).startObject().field(n, flag).field(n, number).endObject().endObject();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField(name, value);
                g.writeNumberField(name, number);
                g.writeNumberField(name, rate);
                g.writeArrayFieldStart(name);
                g.writeString(value);
                g.writeNumber(number);
                g.writeEndArray();
                g.writeObjectFieldStart(name);
                g.writeBooleanField(name, flag);
                g.writeNumberField(name, number);
                g.writeEndObject();
                g.writeEndObject();
            }
            assertThat(w.toByteArray()).as("value %s", value).isEqualTo(out.toByteArray());
        }
    }

    /**
     * Names of 1 to 40 characters (written in words of eight bytes), first and later in their
     * objects, in a document that outgrows the writer's buffer many times over.
     */
    @Test
    void longDocumentsOfNamesOfEveryLength() throws IOException {
        JsonWriter w = new JsonWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
            w.startObject();
            g.writeStartObject();
            for (int i = 0; i < 2_000; i++) {
                String name = "n".repeat(1 + i % 40);
                JsonWriter.Name n = JsonWriter.name(name);
                w.field(n).startObject().field(n, i).field(n, i % 3 == 0).endObject();
                g.writeObjectFieldStart(name);
                g.writeNumberField(name, i);
                g.writeBooleanField(name, i % 3 == 0);
                g.writeEndObject();
            }
            w.endObject();
            g.writeEndObject();
        }
        assertThat(w.toByteArray()).isEqualTo(out.toByteArray());
    }

    /** Mostly ASCII, with control characters, two- and three-byte characters and surrogates. */
    private static String randomString(Random random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            char c =
                    switch (kind) {
                        case 0 -> (char) random.nextInt(0x20);
                        case 1 -> (char) (0x80 + random.nextInt(0x780));
                        case 2 -> (char) (0x800 + random.nextInt(0xf800));
                        case 3 -> (char) (0xd800 + random.nextInt(0x800));
                        default -> (char) (0x20 + random.nextInt(0x60));
                    };
            s.append(c);
        }
        if (random.nextInt(8) == 0) {
            s.appendCodePoint(0x1f600); // a valid pair
        }
        return s.toString();
    }

    private static byte[] bytes(String value) {
        JsonWriter w = new JsonWriter();
        w.startObject().field(JsonWriter.name("k"), value).endObject();
        return w.toByteArray();
    }

    private static String render(String value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }
}
