#!/usr/bin/env bash
# The whole test suite against a 3-master Redis Cluster on loopback: every service the tests
# start (in-process or spawned) reaches Redis through REDIS_CLUSTER_NODES. Ports: CLUSTER_PORTS
# (e.g. "7001 7002 7003"; each also uses port+10000 for the cluster bus), else three free ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'test/cluster/local-redis.sh stop "$dir"; rm -rf "$dir"' EXIT
# shellcheck disable=SC2086
free_ports='const net=require("net");const free=(p)=>new Promise((r)=>{const s=net.createServer();s.once("error",()=>r(false));s.listen(p,"127.0.0.1",()=>s.close(()=>r(true)))});
(async()=>{const out=[];while(out.length<3){const p=20000+Math.floor(Math.random()*20000);if(!out.includes(p)&&await free(p)&&await free(p+10000))out.push(p)}console.log(out.join(" "))})()'
nodes=$(test/cluster/local-redis.sh cluster "$dir" ${CLUSTER_PORTS:-$(node -e "$free_ports")})
echo "cluster: 3 primaries at $nodes"
REDIS_CLUSTER_NODES="$nodes" node test/run-tests.js "$@"
