#!/usr/bin/env python3
"""Gives a loopback capture what a LAN capture has and loopback lacks.

Linux loopback frames carry all-zero MAC addresses and no VLAN tags. This rewrites a classic
pcap (Ethernet link type) so that:
  * every IP address has a MAC: LAN hosts their own, public addresses the gateway's;
  * frames of 10.100.0.0/24 and fd77:100::/64 carry an 802.1Q tag, VLAN 100;
  * frames of 10.30.0.0/24 carry QinQ: an 802.1ad outer tag (200) and an 802.1Q inner tag (300).
Captured and original lengths grow by the tag bytes, as they would on the wire.

    tag-frames.py <in.pcap> <out.pcap>
"""
import ipaddress
import struct
import sys

GATEWAY_MAC = bytes.fromhex("02005e000001")
VLAN100 = [ipaddress.ip_network("10.100.0.0/24"), ipaddress.ip_network("fd77:100::/64")]
QINQ = [ipaddress.ip_network("10.30.0.0/24")]
LAN = [
    ipaddress.ip_network(n)
    for n in ("192.168.0.0/16", "10.0.0.0/8", "fd00::/8", "fe80::/10", "127.0.0.0/8", "::1/128")
]


def mac_of(addr):
    if any(addr in n for n in LAN):
        # Stable per-host MAC: locally administered, last four bytes from the address.
        return bytes([0x02, 0x00]) + addr.packed[-4:]
    return GATEWAY_MAC


def addresses(frame):
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    if ethertype == 0x0800 and len(frame) >= 34:
        return ipaddress.IPv4Address(frame[26:30]), ipaddress.IPv4Address(frame[30:34])
    if ethertype == 0x86DD and len(frame) >= 54:
        return ipaddress.IPv6Address(frame[22:38]), ipaddress.IPv6Address(frame[38:54])
    return None


def rewrite(frame):
    pair = addresses(frame)
    if pair is None:
        return frame
    src, dst = pair
    tags = b""
    if any(a in n for n in VLAN100 for a in pair if a.version == n.version):
        tags = struct.pack("!HH", 0x8100, 100)
    elif any(a in n for n in QINQ for a in pair if a.version == n.version):
        tags = struct.pack("!HHHH", 0x88A8, 200, 0x8100, 300)
    return mac_of(dst) + mac_of(src) + tags + frame[12:]


def main(src_path, dst_path):
    with open(src_path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
              b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}[magic]
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    if linktype != 1:
        raise SystemExit("expected an Ethernet capture, got link type %d" % linktype)
    out = [data[:24]]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack_from(endian + "IIII", data, off)
        frame = data[off + 16:off + 16 + incl]
        new = rewrite(frame)
        grown = len(new) - len(frame)
        out.append(struct.pack(endian + "IIII", sec, frac, incl + grown, orig + grown))
        out.append(new)
        off += 16 + incl
    with open(dst_path, "wb") as f:
        f.write(b"".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
