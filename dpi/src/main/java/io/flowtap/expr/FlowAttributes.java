package io.flowtap.expr;

/**
 * What an expression can ask of a flow. Names are resolved by the caller (an application's tag and
 * category from its catalog, a protocol's name), so the engine needs no catalog of its own. Unknown
 * strings are empty, unknown numbers 0, unknown addresses null.
 */
public interface FlowAttributes {
    int applicationId();

    /** The application's tag, e.g. {@code netify.google}. */
    String applicationTag();

    int applicationCategoryId();

    /** The application category's tag, e.g. {@code streaming-media}. */
    String applicationCategoryTag();

    int protocolId();

    /** Netify's protocol name, e.g. {@code HTTP/S}. */
    String protocolName();

    int protocolCategoryId();

    String protocolCategoryTag();

    /** The host name DPI found (SNI, Host header, DNS query). */
    String detectedHostname();

    /** The host name the DNS hint cache gave for the other address. */
    String dnsHostname();

    /** 4 or 16 bytes. */
    byte[] localIp();

    byte[] otherIp();

    /** 6 bytes, or null. */
    byte[] localMac();

    byte[] otherMac();

    int localPort();

    int otherPort();

    int ipProtocol();

    /**
     * Netify's {@code other_type}: local, remote, broadcast, multicast, unsupported, error,
     * unknown.
     */
    String otherType();

    /** Which end opened the flow: {@code local}, {@code other} or {@code unknown}. */
    String origin();

    int vlanId();

    /** The TLS version as on the wire (e.g. {@code 0x0303} for TLS 1.2), 0 when none. */
    int tlsVersion();

    boolean ipNat();

    boolean detectionComplete();
}
