package io.flowtap.testing;

import io.flowtap.capture.flow.FlowKeys;
import io.flowtap.schema.FlowKey;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Hand-built packet events of one flow between a client and a server, for lifecycle tests that need
 * exact control over timing, flags and sequence numbers.
 */
public final class TestEvents {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private final FlowKey key;
    private final boolean clientIsLower;

    /**
     * @param protocol 6 or 17
     */
    public TestEvents(String client, int clientPort, String server, int serverPort, int protocol) {
        byte[] c = addr(client);
        byte[] s = addr(server);
        clientIsLower = FlowKeys.compareUnsigned(c, s, c.length) < 0;
        byte[] lower = clientIsLower ? c : s;
        byte[] upper = clientIsLower ? s : c;
        int lowerPort = clientIsLower ? clientPort : serverPort;
        int upperPort = clientIsLower ? serverPort : clientPort;
        byte[] digest =
                FlowKeys.digest(
                        "eth0",
                        c.length == 4 ? 4 : 6,
                        protocol,
                        0,
                        lower,
                        upper,
                        c.length,
                        null,
                        lowerPort,
                        upperPort);
        key =
                FlowKey.newBuilder()
                        .setIpVersion(c.length == 4 ? 4 : 6)
                        .setIpProtocol(protocol)
                        .setVlanId(0)
                        .setLowerAddr(ByteBuffer.wrap(lower))
                        .setUpperAddr(ByteBuffer.wrap(upper))
                        .setLowerPort(lowerPort)
                        .setUpperPort(upperPort)
                        .setDigest(new Sha1(digest))
                        .build();
    }

    public static TestEvents tcp(String client, int clientPort, String server, int serverPort) {
        return new TestEvents(client, clientPort, server, serverPort, 6);
    }

    public static TestEvents udp(String client, int clientPort, String server, int serverPort) {
        return new TestEvents(client, clientPort, server, serverPort, 17);
    }

    public String digest() {
        return FlowKeys.hex(key.getDigest().bytes());
    }

    /** A packet from the client at {@code ms}. */
    public PacketEvent client(long ms, int wireLen, int flags, int seq, int ack, int payload) {
        return event(true, ms, wireLen, flags, seq, ack, payload);
    }

    public PacketEvent server(long ms, int wireLen, int flags, int seq, int ack, int payload) {
        return event(false, ms, wireLen, flags, seq, ack, payload);
    }

    public PacketEvent client(long ms, int wireLen) {
        return client(ms, wireLen, 0, 0, 0, Math.max(0, wireLen - 42));
    }

    public PacketEvent server(long ms, int wireLen) {
        return server(ms, wireLen, 0, 0, 0, Math.max(0, wireLen - 42));
    }

    private PacketEvent event(
            boolean fromClient, long ms, int wireLen, int flags, int seq, int ack, int payload) {
        PacketRecord p =
                PacketRecord.newBuilder()
                        .setTsNs(ms * 1_000_000L)
                        .setFromLower(fromClient == clientIsLower)
                        .setWireLen(wireLen)
                        .setIpLen(wireLen - 14)
                        .setPayloadLen(payload)
                        .setTcpFlags(flags)
                        .setTcpSeq(seq)
                        .setTcpAck(ack)
                        .setIpDscp(0)
                        .setFragment(false)
                        .setPayload(null)
                        .build();
        return PacketEvent.newBuilder()
                .setAgentId("test")
                .setInterface$("eth0")
                .setFlow(key)
                .setLowerMac(null)
                .setUpperMac(null)
                .setPackets(List.of(p))
                .build();
    }

    private static byte[] addr(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
