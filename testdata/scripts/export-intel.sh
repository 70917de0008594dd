#!/usr/bin/env bash
# Exports one row per packet of the intelligence capture with tshark, for tests that recompute what
# the window drivers must find independently of Flowtap: epoch time, wire length, MAC and IPv4
# addresses, IP protocol, ports, TCP flags, tshark's TCP and UDP stream numbers (its reading of the
# conversations), and the DNS query name of queries.
# Usage: export-intel.sh <capture> > <capture>.packets.tsv
set -euo pipefail
echo -e "time_epoch\tframe_len\teth_src\teth_dst\tip_src\tip_dst\tip_proto\ttcp_srcport\ttcp_dstport\tudp_srcport\tudp_dstport\ttcp_flags\ttcp_stream\tudp_stream\tdns_response\tdns_qry_name"
tshark -r "$1" -T fields -E separator=/t -E occurrence=f \
  -e frame.time_epoch -e frame.len -e eth.src -e eth.dst -e ip.src -e ip.dst -e ip.proto \
  -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e tcp.flags \
  -e tcp.stream -e udp.stream -e dns.flags.response -e dns.qry.name
