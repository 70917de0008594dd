package io.flowtap.dpi.tls;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-signed certificate made with {@code openssl req -x509 -subj "/C=DE/O=Flowtap
 * Test/CN=www.example.com" -addext "subjectAltName=DNS:www.example.com,DNS:*.example.org,
 * IP:192.0.2.7" -days 90 -outform DER}; expected values are what {@code openssl x509 -noout
 * -subject -issuer -dates -ext subjectAltName} prints for it.
 */
class X509Test {
    static byte[] certificate() throws IOException {
        try (InputStream in = X509Test.class.getResourceAsStream("san-selfsigned.der")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsNamesValidityAndSubjectAltNames() throws IOException {
        byte[] der = certificate();
        X509 x = X509.parse(der, 0, der.length);
        assertThat(x).isNotNull();
        assertThat(x.subjectDn).isEqualTo("C=DE, O=Flowtap Test, CN=www.example.com");
        assertThat(x.issuerDn).isEqualTo(x.subjectDn);
        assertThat(x.subjectCn).isEqualTo("www.example.com");
        assertThat(x.selfIssued).isTrue();
        assertThat(Instant.ofEpochMilli(x.notBeforeMs))
                .isEqualTo(Instant.parse("2026-11-22T01:49:41Z"));
        assertThat(Instant.ofEpochMilli(x.notAfterMs))
                .isEqualTo(Instant.parse("2027-02-20T01:49:41Z"));
        // The iPAddress entry is not a DNS name.
        assertThat(x.dnsNames).containsExactly("www.example.com", "*.example.org");
    }

    @Test
    void everyTruncationIsRejectedOrParsedWithoutThrowing() throws IOException {
        byte[] der = certificate();
        for (int n = 0; n < der.length; n++) {
            X509 x = X509.parse(der, 0, n);
            if (x != null) {
                assertThat(x.dnsNames.size()).isLessThanOrEqualTo(2);
            }
        }
    }
}
