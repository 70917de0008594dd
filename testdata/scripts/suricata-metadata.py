#!/usr/bin/env python3
"""Writes what Suricata's dissectors extract from a capture, flow by flow, as a TSV.

    suricata-metadata.py <capture> > expected.tsv
    suricata-metadata.py --root <dir> <capture>... > expected.tsv

With --root, several captures go into one file, each row starting with a `capture` column (the
capture's path relative to <dir>).

Runs Suricata 7 (Debian bookworm-backports package `suricata`) with JA4 enabled and reads its
eve.json. Columns: proto, client_ip, client_port, server_ip, server_port, field, value; the
client is the flow's initiator as Suricata sees it. Fields:

  tls.sni  tls.ja4  tls.version  tls.subject  tls.issuerdn  tls.fingerprint
  http.hostname  http.url  http.user_agent
  dns.query (the rrname of queries)
  ssh.client  ssh.server (SSH-<proto_version>-<software_version>)
  quic.sni  quic.ja4

The tests read this file; they do not need Suricata.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile


def config(tmp):
    with open("/etc/suricata/suricata.yaml") as f:
        text = f.read()
    # Log JA4 in tls and quic events.
    text = re.sub(r"#\s*ja4: off", "ja4: on", text)
    path = os.path.join(tmp, "suricata.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def canonical(ip):
    return str(ipaddress.ip_address(ip))


def rows_of(capture):
    rows = set()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["suricata", "-c", config(tmp), "-r", capture, "-k", "none", "-l", tmp,
             "--set", "app-layer.protocols.tls.ja4-fingerprints=yes"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(tmp, "eve.json")) as f:
            events = [json.loads(line) for line in f]
    for e in events:
        t = e.get("event_type")
        if t not in ("tls", "http", "dns", "ssh", "quic"):
            continue
        proto = e.get("proto", "").lower()
        key = (proto, canonical(e["src_ip"]), e["src_port"], canonical(e["dest_ip"]), e["dest_port"])
        body = e.get(t, {})
        fields = []
        if t == "tls":
            for k in ("sni", "ja4", "version", "subject", "issuerdn", "fingerprint"):
                # UNDETERMINED: Suricata saw no version it could name.
                if k in body and body[k] != "UNDETERMINED":
                    fields.append(("tls." + k, body[k]))
        elif t == "http":
            for k in ("hostname", "url", "http_user_agent"):
                if k in body:
                    fields.append(("http." + k.replace("http_", ""), body[k]))
        elif t == "dns":
            if body.get("type") == "query" and "rrname" in body:
                fields.append(("dns.query", body["rrname"]))
        elif t == "ssh":
            for side in ("client", "server"):
                s = body.get(side)
                if s and "software_version" in s:
                    fields.append(("ssh." + side,
                                   "SSH-%s-%s" % (s.get("proto_version", ""), s["software_version"])))
        elif t == "quic":
            for k in ("sni", "ja4"):
                if k in body:
                    fields.append(("quic." + k, body[k]))
        for name, value in fields:
            rows.add(key + (name, str(value)))
    return sorted(rows, key=lambda r: tuple(str(x) for x in r))


def main(args):
    header = "proto\tclient_ip\tclient_port\tserver_ip\tserver_port\tfield\tvalue"
    if args[0] != "--root":
        print(header)
        for r in rows_of(args[0]):
            print("\t".join(str(x) for x in r))
        return
    root = args[1]
    print("capture\t" + header)
    for capture in sorted(args[2:]):
        name = os.path.relpath(capture, root)
        for r in rows_of(capture):
            # Values with tabs or line breaks cannot be compared line by line.
            if not any(c in str(x) for x in r for c in "\t\n\r"):
                print(name + "\t" + "\t".join(str(x) for x in r))


if __name__ == "__main__":
    main(sys.argv[1:])
