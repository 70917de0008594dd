#!/usr/bin/env python3
"""Writes tshark's TCP and UDP conversations of a capture as exact figures.

tshark -z conv prints byte counts rounded to kB; this sums tshark's own per-frame fields instead:
every frame that tshark assigns to a tcp.stream or udp.stream counts for that conversation, and
IP fragments count for the stream of the datagram they were reassembled into (tshark reports the
transport only in the last fragment's frame). Bytes are frame.len, link header included.

    tshark-conversations.py <capture> > expected.tsv

Columns: proto, stream, addr_a, port_a, addr_b, port_b, vlan, frames_ab, bytes_ab, frames_ba,
bytes_ba, frames, bytes, first_epoch, last_epoch. A is the sender of the conversation's first
frame. Needs tshark (Debian package tshark); the tests only read the output.
"""
import subprocess
import sys
from collections import OrderedDict

FIELDS = [
    "frame.number", "frame.len", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "ip.proto", "ipv6.nxt", "tcp.stream", "udp.stream", "tcp.srcport", "tcp.dstport",
    "udp.srcport", "udp.dstport", "vlan.id", "ip.reassembled_in", "ipv6.reassembled.in",
]


def first(v):
    return v.split(",")[0] if v else ""


def last(v):
    return v.split(",")[-1] if v else ""


def main(path):
    cmd = ["tshark", "-2", "-r", path, "-n", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]

    stream_of_frame = {}
    for r in rows:
        proto = first(r["ip.proto"]) or last(r["ipv6.nxt"])
        if proto in ("1", "58"):
            continue  # ICMP: any transport fields belong to the quoted packet
        if r["tcp.stream"]:
            stream_of_frame[r["frame.number"]] = ("tcp", first(r["tcp.stream"]))
        elif r["udp.stream"]:
            stream_of_frame[r["frame.number"]] = ("udp", first(r["udp.stream"]))

    convs = OrderedDict()
    for r in rows:
        key = stream_of_frame.get(r["frame.number"])
        if key is None:
            target = first(r["ip.reassembled_in"]) or first(r["ipv6.reassembled.in"])
            key = stream_of_frame.get(target)
        if key is None:
            continue
        src = first(r["ip.src"]) or first(r["ipv6.src"])
        dst = first(r["ip.dst"]) or first(r["ipv6.dst"])
        length = int(r["frame.len"])
        ts = r["frame.time_epoch"]
        c = convs.get(key)
        if c is None:
            c = convs[key] = {"a": src, "b": dst, "pa": "", "pb": "", "vlan": last(r["vlan.id"]) or "0",
                              "fab": 0, "bab": 0, "fba": 0, "bba": 0, "first": ts, "last": ts}
        if not c["pa"]:
            sport = first(r["tcp.srcport"]) or first(r["udp.srcport"])
            dport = first(r["tcp.dstport"]) or first(r["udp.dstport"])
            if sport:
                c["pa"], c["pb"] = (sport, dport) if src == c["a"] else (dport, sport)
        if src == c["a"] and dst == c["b"] and c["a"] != c["b"]:
            c["fab"] += 1
            c["bab"] += length
        elif src == c["b"] and dst == c["a"] and c["a"] != c["b"]:
            c["fba"] += 1
            c["bba"] += length
        else:
            # Same address on both ends: tell directions apart by port.
            sport = first(r["tcp.srcport"]) or first(r["udp.srcport"])
            if sport == c["pa"]:
                c["fab"] += 1
                c["bab"] += length
            else:
                c["fba"] += 1
                c["bba"] += length
        c["last"] = ts

    print("\t".join(["proto", "stream", "addr_a", "port_a", "addr_b", "port_b", "vlan", "frames_ab",
                     "bytes_ab", "frames_ba", "bytes_ba", "frames", "bytes", "first_epoch",
                     "last_epoch"]))
    for (proto, stream), c in convs.items():
        print("\t".join(str(x) for x in [
            proto, stream, c["a"], c["pa"], c["b"], c["pb"], c["vlan"], c["fab"], c["bab"],
            c["fba"], c["bba"], c["fab"] + c["fba"], c["bab"] + c["bba"], c["first"], c["last"]]))


if __name__ == "__main__":
    main(sys.argv[1])
