#!/usr/bin/env bash
# The whole test suite against a 3-master Redis Cluster on loopback: every service the tests
# start (in-process or spawned) reaches Redis through REDIS_CLUSTER_NODES. Ports: CLUSTER_PORTS
# (e.g. "7001 7002 7003"; each also uses port+10000 for the cluster bus), else local-redis.sh picks free ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'test/cluster/local-redis.sh stop "$dir"; rm -rf "$dir"' EXIT
# shellcheck disable=SC2086
nodes=$(test/cluster/local-redis.sh cluster "$dir" ${CLUSTER_PORTS:-})
echo "cluster: 3 primaries at $nodes"
REDIS_CLUSTER_NODES="$nodes" node test/run-tests.js "$@"
