package io.flowtap.dpi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Registrable domains, worked out by hand against the public suffixes they stand for. */
class DomainNamesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "www.example.com, example.com",
        "example.com, example.com",
        "com, com",
        "a.b.c.example.org., example.org",
        "WWW.Example.CO.UK, example.co.uk",
        "news.bbc.co.uk, bbc.co.uk",
        "co.uk, co.uk",
        "shop.example.com.au, example.com.au",
        "x.t.exfil.test, exfil.test",
        "q4cyamnc6mtokjurvdclt.com, q4cyamnc6mtokjurvdclt.com",
        "host.co.example, co.example"
    })
    void registrableDomains(String name, String expected) {
        assertThat(DomainNames.registrable(name)).isEqualTo(expected);
    }

    /**
     * Any name: its registrable domain is a suffix of it (lower case, without a final dot), and the
     * DGA heuristic answers without failing.
     */
    @FuzzTest(maxDuration = "1m")
    void anyName(byte[] data) {
        String name = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(DomainNames.normalize(name)).endsWith(DomainNames.registrable(name));
        DgaHeuristic.looksGenerated(name);
    }
}
