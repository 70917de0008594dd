#!/usr/bin/env python3
"""Writes what tshark's dissectors extract from captures, flow by flow, as a TSV.

    tshark-metadata.py <capture> > expected.tsv
    tshark-metadata.py --root <dir> <capture>... > expected.tsv

Same layout as suricata-metadata.py (with --root, a first `capture` column): proto, client_ip,
client_port, server_ip, server_port, field, value; the client is the sender of the flow's first
packet (for TCP, of its SYN). Packets inside tunnels Flowtap does not decapsulate (GTP-U,
Teredo) are left out, and so is HTTP over UDP (SSDP). Fields:

  tls.sni          the server_name of ClientHellos
  http.hostname    the Host header of requests, without a port
  http.url         the request target
  http.user_agent
  dns.query        the first question of DNS queries (not mDNS or LLMNR)
  ssh.client, ssh.server   SSH-<proto>-<software version>, comments after a space dropped

Needs tshark (Debian package tshark); the tests only read the output.
"""
import ipaddress
import os
import re
import subprocess
import sys

FIELDS = ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.stream", "udp.stream", "tcp.srcport",
          "tcp.dstport", "udp.srcport", "udp.dstport", "tls.handshake.type",
          "tls.handshake.extensions_server_name", "http.request", "http.host",
          "http.request.uri", "http.user_agent", "dns.flags.response", "dns.qry.name",
          "ssh.protocol"]


def canonical(ip):
    return str(ipaddress.ip_address(ip))


def host_only(host):
    if host.startswith("["):
        return host[:host.index("]") + 1] if "]" in host else host
    return re.sub(r":\d+$", "", host) if host.count(":") == 1 else host


def rows_of(capture):
    cmd = ["tshark", "-r", capture, "-n", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=\x1e", "-Y", "tls.handshake.type == 1 or http.request or dns or ssh.protocol or tcp.flags.syn == 1 or udp"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    first = {}
    rows = set()
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != len(FIELDS):
            continue  # a value with a line break in it: not comparable line by line
        v = dict(zip(FIELDS, parts))
        if len((v["ip.src"] + "\x1e" + v["ipv6.src"]).strip("\x1e").split("\x1e")) != 1:
            continue  # a tunnel (GTP-U, Teredo...), which Flowtap does not decapsulate
        v = {k: x.split("\x1e")[0] for k, x in v.items()}
        src = v["ip.src"] or v["ipv6.src"]
        dst = v["ip.dst"] or v["ipv6.dst"]
        if not src or not dst:
            continue
        if v["tcp.stream"]:
            proto, stream = "tcp", "t" + v["tcp.stream"]
            sport, dport = v["tcp.srcport"], v["tcp.dstport"]
        elif v["udp.stream"]:
            proto, stream = "udp", "u" + v["udp.stream"]
            sport, dport = v["udp.srcport"], v["udp.dstport"]
        else:
            continue
        here = (canonical(src), int(sport), canonical(dst), int(dport))
        client = first.setdefault(stream, here)
        from_client = here == client
        key = (proto,) + client
        fields = []
        if v["tls.handshake.type"] == "1" and v["tls.handshake.extensions_server_name"]:
            fields.append(("tls.sni", v["tls.handshake.extensions_server_name"]))
        # HTTP over UDP is SSDP, which Flowtap reports as such.
        if proto == "udp":
            v["http.request"] = ""
        if v["http.request"] and v["http.host"]:
            fields.append(("http.hostname", host_only(v["http.host"])))
        if v["http.request"] and v["http.request.uri"]:
            fields.append(("http.url", v["http.request.uri"]))
        if v["http.request"] and v["http.user_agent"]:
            fields.append(("http.user_agent", v["http.user_agent"]))
        if v["dns.flags.response"] in ("0", "False") and v["dns.qry.name"] and \
                53 in (here[1], here[3]):
            fields.append(("dns.query", v["dns.qry.name"]))
        if v["ssh.protocol"].startswith("SSH-"):
            fields.append(("ssh.client" if from_client else "ssh.server",
                           v["ssh.protocol"].split(" ")[0]))
        for name, value in fields:
            if not any(c in value for c in "\t\n\r"):
                rows.add(key + (name, value))
    return sorted(rows, key=lambda r: tuple(str(x) for x in r))


def main(args):
    header = "proto\tclient_ip\tclient_port\tserver_ip\tserver_port\tfield\tvalue"
    if args[0] != "--root":
        print(header)
        for r in rows_of(args[0]):
            print("\t".join(str(x) for x in r))
        return
    print("capture\t" + header)
    for capture in sorted(args[2:]):
        name = os.path.relpath(capture, args[1])
        for r in rows_of(capture):
            print(name + "\t" + "\t".join(str(x) for x in r))


if __name__ == "__main__":
    main(sys.argv[1:])
