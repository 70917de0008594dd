package io.flowtap.dpi.tls;

import io.flowtap.dpi.Protocols;

/**
 * Netify reports TLS under the protocol of its well-known port: 443 is HTTP/S, 853 DoT, 993 IMAP/S
 * and so on; TLS on any other port is TLS.
 */
public final class TlsNaming {
    private TlsNaming() {}

    public static int protocolFor(int serverPort) {
        switch (serverPort) {
            case 443:
                return Protocols.HTTPS;
            case 853:
                return Protocols.DOT;
            case 993:
                return Protocols.IMAPS;
            case 995:
                return Protocols.POPS;
            case 465:
                return Protocols.SMTPS;
            case 989:
            case 990:
                return Protocols.FTPS;
            case 5061:
                return Protocols.SIPS;
            case 8883:
                return Protocols.MQTTS;
            case 563:
                return Protocols.NNTPS;
            default:
                return Protocols.TLS;
        }
    }
}
