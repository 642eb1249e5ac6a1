#!/usr/bin/env bash
# Throwaway Redis topologies on loopback, made of Debian's redis-server, for tests.
#
#   local-redis.sh cluster  <dir> [<port> <port> <port>]  3-master Redis Cluster; prints "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"
#   local-redis.sh sentinel <dir> [<primary-port> <replica-port> <sentinel-port>]
#                                                         primary + replica + one sentinel monitoring "snapprimary"; prints "127.0.0.1:<sentinel-port>"
#   local-redis.sh stop     <dir>                         stops every server started under <dir>
#
# Without ports, three free ones are picked (p and p+10000, the cluster bus, both free). The
# ports used are written to <dir>/ports. Nothing is persisted (no RDB, no AOF): test fixtures.
set -euo pipefail

cmd=${1:?usage: local-redis.sh cluster|sentinel|stop <dir> ...}
dir=${2:?missing <dir>}
shift 2

wait_ping() {
  for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "local-redis: no answer on port $1 (see $dir/$1/redis.log)" >&2
  return 1
}

server() { # <port> <extra redis-server args...>
  local port=$1
  shift
  mkdir -p "$dir/$port"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir/$port" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log" "$@"
  wait_ping "$port"
}

free_ports() {
  node -e 'const net=require("net");const free=(p)=>new Promise((r)=>{const s=net.createServer();s.once("error",()=>r(false));s.listen(p,"127.0.0.1",()=>s.close(()=>r(true)))});
(async()=>{const out=[];while(out.length<3){const p=20000+Math.floor(Math.random()*20000);if(!out.includes(p)&&await free(p)&&await free(p+10000))out.push(p)}console.log(out.join(" "))})()'
}
if [ "$cmd" != stop ] && [ $# -eq 0 ]; then
  # shellcheck disable=SC2046
  set -- $(free_ports)
fi
[ "$cmd" = stop ] || { mkdir -p "$dir" && echo "$*" >"$dir/ports"; }

case "$cmd" in
  cluster)
    [ $# -eq 3 ] || { echo "usage: local-redis.sh cluster <dir> [<port> <port> <port>]" >&2; exit 2; }
    nodes=()
    for port in "$@"; do
      server "$port" --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 2000
      nodes+=("127.0.0.1:$port")
    done
    redis-cli --cluster create "${nodes[@]}" --cluster-yes >"$dir/cluster-create.log" 2>&1 \
      || { cat "$dir/cluster-create.log" >&2; exit 1; }
    # every node must agree the cluster is whole before a client may rely on its slot map
    for port in "$@"; do
      for _ in $(seq 1 200); do
        redis-cli -h 127.0.0.1 -p "$port" cluster info | grep -q '^cluster_state:ok' && break
        sleep 0.05
      done
      redis-cli -h 127.0.0.1 -p "$port" cluster info | grep -q '^cluster_state:ok' \
        || { echo "local-redis: cluster not ok on port $port" >&2; exit 1; }
    done
    (IFS=,; echo "${nodes[*]}")
    ;;
  sentinel)
    [ $# -eq 3 ] || { echo "usage: local-redis.sh sentinel <dir> [<primary-port> <replica-port> <sentinel-port>]" >&2; exit 2; }
    primary=$1 replica=$2 sport=$3
    # no 5 s diskless-sync delay: the replica must hold the data before tests rely on it
    server "$primary" --repl-diskless-sync-delay 0
    server "$replica" --replicaof 127.0.0.1 "$primary"
    # streaming starts after the replica's first REPLCONF ACK: wait until a write is acknowledged
    for _ in $(seq 1 100); do
      [ "$(printf 'SET local-redis:probe 1\nWAIT 1 100\n' | redis-cli -h 127.0.0.1 -p "$primary" | tail -1)" = 1 ] && break
      sleep 0.05
    done
    redis-cli -h 127.0.0.1 -p "$primary" del local-redis:probe >/dev/null
    mkdir -p "$dir/$sport"
    cat >"$dir/$sport/sentinel.conf" <<EOF
bind 127.0.0.1
port $sport
dir $dir/$sport
sentinel monitor snapprimary 127.0.0.1 $primary 1
sentinel down-after-milliseconds snapprimary 1000
sentinel failover-timeout snapprimary 5000
EOF
    redis-server "$dir/$sport/sentinel.conf" --sentinel --daemonize yes \
      --pidfile "$dir/$sport/redis.pid" --logfile "$dir/$sport/redis.log"
    wait_ping "$sport"
    for _ in $(seq 1 100); do
      [ "$(redis-cli -h 127.0.0.1 -p "$sport" sentinel replicas snapprimary 2>/dev/null | grep -c "127.0.0.1:$replica")" -gt 0 ] && break
      sleep 0.1
    done
    echo "127.0.0.1:$sport"
    ;;
  stop)
    for pidfile in "$dir"/*/redis.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    done
    ;;
  *)
    echo "local-redis: unknown command $cmd" >&2
    exit 2
    ;;
esac
