package io.flowtap.conformance;

/** What Flowtap reported for one flow: its last record with the whole flow body. */
record Actual(
        String capture,
        String transport,
        String endA,
        String endB,
        String protocol,
        String hostname,
        String sni,
        String ja4,
        String risks) {

    String key() {
        return transport
                + " "
                + (endA.compareTo(endB) <= 0 ? endA + " " + endB : endB + " " + endA);
    }

    /** Any key: what netifyd's lines give (no transport). */
    String keyWithoutTransport() {
        return "? " + (endA.compareTo(endB) <= 0 ? endA + " " + endB : endB + " " + endA);
    }
}
