#!/usr/bin/env python3
"""Writes the DNS hint each flow of a capture should carry, as a TSV.

    dns-hints.py <capture> > expected.tsv

Reads the capture with tshark. A flow's hint is the query name of the latest DNS response
(rcode 0, from port 53) before the flow's first packet whose A or AAAA answers contain the
address that first packet was sent to, if that response is at most 30 minutes older. Columns:
proto (tcp, udp, or the IP protocol number), client_ip, client_port, server_ip, server_port (0
without ports), dns_host_name; the client is the sender of the flow's first packet. Flows without
a hint are not listed.

The tests read this file; they do not need tshark.
"""
import ipaddress
import subprocess
import sys

LIFETIME = 30 * 60


def canonical(ip):
    return str(ipaddress.ip_address(ip))


def main(capture):
    fields = ["frame.time_epoch", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "ip.proto",
              "ipv6.nxt", "tcp.srcport",
              "tcp.dstport", "udp.srcport", "udp.dstport", "dns.flags.response",
              "dns.flags.rcode", "dns.qry.name", "dns.a", "dns.aaaa"]
    cmd = ["tshark", "-r", capture, "-n", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,", "-Y", "ip or ipv6"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    hints = {}
    seen = set()
    rows = []
    for line in out.splitlines():
        v = dict(zip(fields, line.split("\t")))
        t = float(v["frame.time_epoch"])
        src = v["ip.src"] or v["ipv6.src"]
        dst = v["ip.dst"] or v["ipv6.dst"]
        if not src or not dst or "," in src:
            continue  # tunnelled or not IP: not a plain flow
        proto = "tcp" if v["tcp.srcport"] else "udp" if v["udp.srcport"] else \
            (v["ip.proto"] or v["ipv6.nxt"]).split(",")[-1]
        sport = int(v["tcp.srcport"] or v["udp.srcport"] or 0)
        dport = int(v["tcp.dstport"] or v["udp.dstport"] or 0)
        if proto in ("6", "17", "44"):
            continue  # a fragment without the transport header: part of its flow
        src, dst = canonical(src), canonical(dst)
        key = (proto,) + tuple(sorted([(src, sport), (dst, dport)]))
        if key not in seen:
            seen.add(key)
            h = hints.get(dst)
            if h and t - h[1] <= LIFETIME:
                rows.append((proto, src, sport, dst, dport, h[0]))
        if sport == 53 and v["dns.flags.response"] in ("1", "True") and \
                v["dns.flags.rcode"] == "0" and v["dns.qry.name"]:
            name = v["dns.qry.name"].split(",")[0].lower()
            for a in (v["dns.a"] + "," + v["dns.aaaa"]).split(","):
                if a:
                    hints[canonical(a)] = (name, t)
    print("proto\tclient_ip\tclient_port\tserver_ip\tserver_port\tdns_host_name")
    for r in rows:
        print("\t".join(str(x) for x in r))


if __name__ == "__main__":
    main(sys.argv[1])
