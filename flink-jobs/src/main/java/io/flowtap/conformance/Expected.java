package io.flowtap.conformance;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What an independent tool says about one flow of a capture. Any field may be null when the tool
 * does not say. {@code risks} lists nDPI risk ids, sorted and comma-separated, among those Flowtap
 * evaluates. Endpoints are written {@code ip|port} with Flowtap's address text.
 */
public record Expected(
        String source,
        String capture,
        String transport,
        String endA,
        String endB,
        String protocol,
        String hostname,
        String ja4,
        String risks) {

    /** The endpoint pair in a fixed order, with the transport. */
    public String key() {
        return transport
                + " "
                + (endA.compareTo(endB) <= 0 ? endA + " " + endB : endB + " " + endA);
    }

    /** {@code ip|port} from an address in any text form, or null when it is not one. */
    public static String endpoint(String ip, String port) {
        try {
            String host = ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip;
            byte[] a = InetAddress.getByName(host).getAddress();
            return io.flowtap.telemetry.Addresses.ip(a) + "|" + Integer.parseInt(port);
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
