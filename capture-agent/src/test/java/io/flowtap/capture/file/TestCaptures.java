package io.flowtap.capture.file;

import io.flowtap.capture.Hex;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds pcap and pcapng files in memory, byte by byte, as their specifications lay them out. */
final class TestCaptures {
    private TestCaptures() {}

    /** A classic pcap file header. */
    static byte[] pcapHeader(ByteOrder order, boolean nanos, int linkType, int snaplen) {
        ByteBuffer b = ByteBuffer.allocate(24).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4);
        b.putShort((short) 2).putShort((short) 4);
        b.putInt(0).putInt(0);
        b.putInt(snaplen).putInt(linkType);
        return b.array();
    }

    static byte[] pcapRecord(ByteOrder order, long sec, long frac, byte[] data, int origLen) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(order);
        b.putInt((int) sec).putInt((int) frac).putInt(data.length).putInt(origLen);
        b.put(data);
        return b.array();
    }

    static byte[] shb(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(28).order(order);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D);
        b.putShort((short) 1).putShort((short) 0).putLong(-1L).putInt(28);
        return b.array();
    }

    /** Interface Description Block with optional if_name and if_tsresol. */
    static byte[] idb(ByteOrder order, int linkType, String name, Integer tsresol) {
        ByteArrayOutputStream opts = new ByteArrayOutputStream();
        if (name != null) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            opts.writeBytes(option(order, 2, n));
        }
        if (tsresol != null) {
            opts.writeBytes(option(order, 9, new byte[] {(byte) (int) tsresol}));
        }
        if (opts.size() > 0) {
            opts.writeBytes(option(order, 0, new byte[0]));
        }
        byte[] o = opts.toByteArray();
        int len = 20 + o.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(1).putInt(len).putShort((short) linkType).putShort((short) 0).putInt(0);
        b.put(o).putInt(len);
        return b.array();
    }

    static byte[] epb(ByteOrder order, int iface, long ts, byte[] data, int origLen) {
        int padded = (data.length + 3) & ~3;
        int len = 32 + padded;
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(6).putInt(len).putInt(iface);
        b.putInt((int) (ts >>> 32)).putInt((int) ts);
        b.putInt(data.length).putInt(origLen).put(data);
        b.position(28 + padded);
        b.putInt(len);
        return b.array();
    }

    static byte[] spb(ByteOrder order, byte[] data) {
        int padded = (data.length + 3) & ~3;
        int len = 16 + padded;
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(3).putInt(len).putInt(data.length).put(data);
        b.position(12 + padded);
        b.putInt(len);
        return b.array();
    }

    /** A block of a type readers must skip (Name Resolution Block, empty). */
    static byte[] nrb(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(16).order(order);
        b.putInt(4).putInt(16).putInt(0).putInt(16);
        return b.array();
    }

    private static byte[] option(ByteOrder order, int code, byte[] value) {
        int padded = (value.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(4 + padded).order(order);
        b.putShort((short) code).putShort((short) value.length).put(value);
        return b.array();
    }

    static byte[] cat(byte[]... parts) {
        return Hex.concat(parts);
    }
}
