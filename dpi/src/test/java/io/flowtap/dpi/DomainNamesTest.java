package io.flowtap.dpi;

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
}
