#!/usr/bin/env bash
# Exports one row per packet of a capture with tshark, for tests that recompute per-interval
# totals independently of Flowtap's decoder: epoch time, wire length, addresses, IP protocol,
# ports, VLAN, MAC addresses, and the IPv4 id and IPv6 fragment header (which tie fragments
# without ports to their datagram), and the TCP flags, raw sequence number and segment length.
# Usage: export-packets.sh <capture> > <capture>.packets.tsv
set -euo pipefail
echo -e "time_epoch\tframe_len\tip_src\tip_dst\tipv6_src\tipv6_dst\tip_proto\tipv6_nxt\ttcp_srcport\ttcp_dstport\tudp_srcport\tudp_dstport\tvlan_id\teth_src\teth_dst\tip_id\tipv6_frag_nxt\tipv6_frag_id\tip_mf\tip_frag_offset\tipv6_hopopts_nxt\ttcp_flags\ttcp_seq_raw\ttcp_len"
tshark -r "$1" -T fields -E separator=/t -E occurrence=f \
  -e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
  -e ip.proto -e ipv6.nxt -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
  -e vlan.id -e eth.src -e eth.dst -e ip.id \
  -e ipv6.fraghdr.nxt -e ipv6.fraghdr.ident -e ip.flags.mf -e ip.frag_offset \
  -e ipv6.hopopts.nxt -e tcp.flags -e tcp.seq_raw -e tcp.len
