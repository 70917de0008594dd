package io.flowtap.dpi;

/**
 * The protocol a flow most likely carries, from its IP protocol and well-known ports, for flows
 * that no dissector recognised. Netify marks such flows {@code detection_guessed}.
 */
public final class PortGuess {
    private PortGuess() {}

    /** Protocols identified by the IP protocol alone (not a guess). */
    public static int byIpProtocol(int ipProtocol) {
        switch (ipProtocol) {
            case 1:
                return Protocols.ICMP;
            case 2:
                return Protocols.IGMP;
            case 47:
                return Protocols.GRE;
            case 50:
            case 51:
                return Protocols.IPSEC;
            case 58:
                return Protocols.ICMPV6;
            case 89:
                return Protocols.OSPF;
            case 132:
                return Protocols.SCTP;
            default:
                return Protocols.UNKNOWN;
        }
    }

    /** A guess from the server port, then the client port; 0 when neither is known. */
    public static int byPorts(int ipProtocol, int serverPort, int clientPort) {
        int p = byPort(ipProtocol, serverPort);
        return p != Protocols.UNKNOWN ? p : byPort(ipProtocol, clientPort);
    }

    static int byPort(int ipProtocol, int port) {
        boolean tcp = ipProtocol == 6;
        boolean udp = ipProtocol == 17;
        switch (port) {
            case 20:
            case 21:
                return tcp ? Protocols.FTP_CONTROL : 0;
            case 22:
                return tcp ? Protocols.SSH : 0;
            case 23:
                return tcp ? Protocols.TELNET : 0;
            case 25:
                return tcp ? 3 : 0; // SMTP
            case 53:
                return Protocols.DNS;
            case 67:
            case 68:
                return udp ? Protocols.DHCP : 0;
            case 80:
            case 8080:
                return tcp ? Protocols.HTTP : 0;
            case 110:
                return tcp ? 2 : 0; // POP3
            case 123:
                return udp ? Protocols.NTP : 0;
            case 137:
            case 138:
            case 139:
                return Protocols.NETBIOS;
            case 143:
                return tcp ? 4 : 0; // IMAP
            case 161:
            case 162:
                return udp ? Protocols.SNMP : 0;
            case 443:
                return tcp ? Protocols.HTTPS : udp ? Protocols.QUIC : 0;
            case 445:
                return tcp ? 41 : 0; // SMBv23
            case 465:
                return tcp ? Protocols.SMTPS : 0;
            case 514:
                return udp ? Protocols.SYSLOG : 0;
            case 546:
            case 547:
                return udp ? Protocols.DHCPV6 : 0;
            case 853:
                return tcp ? Protocols.DOT : 0;
            case 993:
                return tcp ? Protocols.IMAPS : 0;
            case 995:
                return tcp ? Protocols.POPS : 0;
            case 1194:
                return Protocols.OPENVPN;
            case 1883:
                return tcp ? Protocols.MQTT : 0;
            case 1900:
                return udp ? Protocols.SSDP : 0;
            case 3389:
                return Protocols.RDP;
            case 3478:
                return Protocols.STUN;
            case 5353:
                return udp ? Protocols.MDNS : 0;
            case 5355:
                return Protocols.LLMNR;
            case 8883:
                return tcp ? Protocols.MQTTS : 0;
            case 51820:
                return udp ? Protocols.WIREGUARD : 0;
            default:
                return Protocols.UNKNOWN;
        }
    }
}
