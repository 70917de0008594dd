#!/usr/bin/env bash
# Records a capture of real client/server traffic inside a network namespace: DNS (UDP and TCP),
# HTTP, HTTPS (TLS 1.2 and 1.3, several SNIs), SSH and SCP, bulk TCP and UDP, ICMP, fragmented
# UDP and a refused connection (RST), over IPv4 and IPv6.
#
# Client and servers talk over the namespace's loopback (MTU 1500, offloads off, so packets are
# wire-sized), each with its own address: the client has LAN addresses, the servers public-looking
# documentation addresses. tag-frames.py then gives the frames MAC addresses and 802.1Q / QinQ
# tags (loopback has neither).
#
#   sudo testdata/scripts/record-sample.sh <out.pcap> [rounds]
#
# Needs root and Debian packages: iproute2 tcpdump nginx-light openssh-server openssh-client
# dnsmasq-base curl dnsutils socat iperf3 ethtool openssl iputils-ping python3.
# "rounds" repeats the client workload (default 1) to make larger captures.
set -euo pipefail

OUT="$(realpath -m "${1:?usage: record-sample.sh <out.pcap> [rounds]}")"
ROUNDS="${2:-1}"
N="ftlab$$"
WORK="$(mktemp -d /tmp/flowtap-record.XXXXXX)"
chmod 755 "$WORK"  # nginx workers run unprivileged

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
for a in 192.168.77.2 203.0.113.10 203.0.113.11 198.51.100.53 10.100.0.1 10.100.0.2 \
         10.30.0.1 10.30.0.2; do
  inn ip addr add "$a/32" dev lo
done
for a in fd77::2 2001:db8:77::10 2001:db8:77::53 fd77:100::1 fd77:100::2; do
  inn ip addr add "$a/128" dev lo nodad
done

# --- server side --------------------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/ssh" "$WORK/nginx"
echo "<html><body>flowtap sample</body></html>" > "$WORK/www/index.html"
head -c 400000 /dev/urandom > "$WORK/www/bulk.bin"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=www.flowtap.test" \
  -addext "subjectAltName=DNS:www.flowtap.test,DNS:api.flowtap.test,DNS:cdn.flowtap.test" \
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
    listen 203.0.113.10:80; listen 203.0.113.11:80; listen [2001:db8:77::10]:80;
    listen 10.100.0.1:80; listen [fd77:100::1]:80; listen 10.30.0.1:80;
    listen 203.0.113.10:443 ssl; listen 203.0.113.11:443 ssl; listen [2001:db8:77::10]:443 ssl;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $WORK/www;
  }
}
EOF
mkdir -p "$WORK/nginx/tmp"
bg_srv nginx -c "$WORK/nginx/nginx.conf"

cat > "$WORK/dnsmasq.conf" <<EOF
no-resolv
no-hosts
listen-address=198.51.100.53
listen-address=2001:db8:77::53
bind-interfaces
address=/www.flowtap.test/203.0.113.10
address=/www.flowtap.test/2001:db8:77::10
address=/api.flowtap.test/203.0.113.11
address=/cdn.flowtap.test/203.0.113.10
address=/ssh.flowtap.test/203.0.113.10
txt-record=flowtap.test,"v=sample record for the flowtap test capture"
EOF
bg_srv dnsmasq --keep-in-foreground --conf-file="$WORK/dnsmasq.conf" --pid-file="$WORK/dnsmasq.pid"

ssh-keygen -q -t ed25519 -N "" -f "$WORK/ssh/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$WORK/ssh/client_key"
cp "$WORK/ssh/client_key.pub" "$WORK/ssh/authorized_keys"
chmod 700 "$WORK/ssh"
cat > "$WORK/ssh/sshd_config" <<EOF
ListenAddress 203.0.113.10
ListenAddress 2001:db8:77::10
HostKey $WORK/ssh/host_key
AuthorizedKeysFile $WORK/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
UsePAM no
PidFile $WORK/ssh/sshd.pid
Subsystem sftp internal-sftp
EOF
mkdir -p /run/sshd
bg_srv /usr/sbin/sshd -D -f "$WORK/ssh/sshd_config" -E "$WORK/ssh/sshd.log"
bg_srv socat -T 5 UDP4-RECVFROM:9999,bind=203.0.113.10,fork EXEC:cat
bg_srv socat -T 5 UDP6-RECVFROM:9999,bind=[2001:db8:77::10],fork EXEC:cat
bg_srv iperf3 -s -B 203.0.113.11 -1

mkdir -p "/etc/netns/$N"
printf 'nameserver 198.51.100.53\nnameserver 2001:db8:77::53\n' > "/etc/netns/$N/resolv.conf"
sleep 1.5

# --- capture -------------------------------------------------------------------------------------
RAW="$WORK/raw.pcap"
inn tcpdump -q -i lo -s 0 -U -w "$RAW" >/dev/null 2>"$WORK/tcpdump.log" & TCPDUMP=$!
echo "$TCPDUMP" >> "$WORK/pids"
sleep 1

V4=192.168.77.2
V6=fd77::2
SSH=(ssh -i "$WORK/ssh/client_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
     -o LogLevel=ERROR -o BatchMode=yes)
CURL=(curl -s -o /dev/null --cacert "$WORK/cert.pem" --max-time 10)

for ((r = 1; r <= ROUNDS; r++)); do
  inn dig -b "$V4" +short www.flowtap.test A >/dev/null
  inn dig -b "$V4" +short www.flowtap.test AAAA >/dev/null
  inn dig -b "$V4" +short +tcp flowtap.test TXT >/dev/null
  inn dig -b "$V6" +short @2001:db8:77::53 api.flowtap.test A >/dev/null
  inn "${CURL[@]}" --interface "$V4" http://www.flowtap.test/
  inn "${CURL[@]}" --interface "$V4" http://www.flowtap.test/bulk.bin
  inn "${CURL[@]}" --interface "$V4" https://www.flowtap.test/
  inn "${CURL[@]}" --interface "$V4" --tls-max 1.2 https://api.flowtap.test/
  inn "${CURL[@]}" --interface "$V4" https://cdn.flowtap.test/bulk.bin
  inn "${CURL[@]}" --interface "$V6" -6 https://www.flowtap.test/
  inn "${CURL[@]}" --interface "$V6" -g "http://[2001:db8:77::10]/bulk.bin"
  inn "${CURL[@]}" --interface "$V4" http://203.0.113.10:8080/ || true  # refused: RST
  inn "${SSH[@]}" -b "$V4" root@203.0.113.10 'head -c 200000 /dev/zero' >/dev/null
  inn "${SSH[@]}" -b "$V6" root@2001:db8:77::10 'uname -a' >/dev/null
  inn scp -q -i "$WORK/ssh/client_key" -o StrictHostKeyChecking=no -o BindAddress="$V4" \
      -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "$WORK/www/bulk.bin" root@203.0.113.10:/dev/null
  inn ping -q -c 2 -i 0.2 -I "$V4" 203.0.113.10 >/dev/null
  inn ping -q -c 2 -i 0.2 -I "$V6" 2001:db8:77::10 >/dev/null
  # Datagrams larger than the MTU: fragmented in both directions, IPv4 and IPv6.
  head -c 3000 /dev/urandom | inn socat -T 1 - "UDP4:203.0.113.10:9999,bind=$V4" >/dev/null || true
  head -c 3000 /dev/urandom | inn socat -T 1 - "UDP6:[2001:db8:77::10]:9999,bind=[$V6]" >/dev/null || true
  # Traffic that tag-frames.py tags: VLAN 100 (IPv4 and IPv6) and QinQ 200/300.
  inn "${CURL[@]}" --interface 10.100.0.2 http://10.100.0.1/
  inn "${CURL[@]}" --interface fd77:100::2 -g "http://[fd77:100::1]/"
  inn "${CURL[@]}" --interface 10.30.0.2 http://10.30.0.1/
  inn ping -q -c 1 -I 10.100.0.2 10.100.0.1 >/dev/null
done
inn iperf3 -c 203.0.113.11 -B "$V4" -u -b 1M -t 1 -l 1000 >/dev/null 2>&1 || true
sleep 1
kill -TERM "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null || true
python3 "$(dirname "$0")/tag-frames.py" "$RAW" "$OUT"
echo "recorded $(tcpdump -r "$OUT" 2>/dev/null | wc -l) packets into $OUT" >&2
