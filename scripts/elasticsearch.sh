#!/usr/bin/env bash
# A local single-node Elasticsearch for tests, CI and development.
#
#   scripts/elasticsearch.sh start    fetch if needed, start, wait; the URL is the last line
#   scripts/elasticsearch.sh stop     stop the node and wait for it to exit
#   scripts/elasticsearch.sh url      print the URL of the running node
#   scripts/elasticsearch.sh status   print whether it runs, and its health
#
# The distribution is Elasticsearch's integ-test zip from Maven Central,
# fetched with mvn into a cache directory outside the repository. The node
# listens on 127.0.0.1 only, with security disabled: it is for tests.
#
# Environment:
#   ES_VERSION      distribution version (default below: the one place it is pinned)
#   OGI_ES_CACHE    cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/ogi/elasticsearch-<ver>;
#                   /var/cache/ogi/elasticsearch-<ver> when run as root, since the
#                   unprivileged node user cannot enter root's home)
#   OGI_ES_PORT     HTTP port (default 9200 if free, else the next free one)
#   OGI_ES_USER     user the node runs as when started by root (default ogi-es)
#   OGI_ES_HEAP     heap size (default 512m)
#   ES_JAVA_HOME    JDK to run it with, 17 or newer (default: the newest JDK under /usr/lib/jvm
#                   or /opt, else java on PATH; the integ-test zip bundles none)
#   OGI_ES_TIMEOUT  seconds to wait for the node to answer (default 300; a loaded machine is slow)
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.7}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_USER="${OGI_ES_USER:-ogi-es}"
HEAP="${OGI_ES_HEAP:-512m}"
TIMEOUT="${OGI_ES_TIMEOUT:-300}"

if [[ -n "${OGI_ES_CACHE:-}" ]]; then
	CACHE="$OGI_ES_CACHE"
elif [[ $(id -u) -eq 0 ]]; then
	CACHE="/var/cache/ogi/elasticsearch-${ES_VERSION}"
else
	CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/ogi/elasticsearch-${ES_VERSION}"
fi
DIST="$CACHE/dist"
RUN="$CACHE/run"
PIDFILE="$CACHE/es.pid"
STATEFILE="$CACHE/url"
STARTLOG="$CACHE/startup.log"

die() { echo "elasticsearch.sh: $*" >&2; exit 1; }
say() { echo "elasticsearch.sh: $*" >&2; }

usage() {
	sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

running_pid() {
	[[ -f "$PIDFILE" ]] || return 1
	local pid
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# The pid must still be the node, not a recycled pid.
	grep -q 'org.elasticsearch' "/proc/$pid/cmdline" 2>/dev/null || return 1
	echo "$pid"
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	if [[ -n "${OGI_ES_PORT:-}" ]]; then
		port_free "$OGI_ES_PORT" || die "port $OGI_ES_PORT is in use"
		echo "$OGI_ES_PORT"
		return
	fi
	local p
	for p in $(seq 9200 9299); do
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free port in 9200-9299"
}

java_home() {
	if [[ -n "${ES_JAVA_HOME:-}" ]]; then
		echo "$ES_JAVA_HOME"
		return
	fi
	# Elasticsearch 8.19 runs on 17+, but is built and tested on a recent
	# JDK; prefer the newest JDK present.
	local d best="" bestv=0 v
	for d in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
		[[ -x "$d/bin/java" && -f "$d/release" ]] || continue
		v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")
		[[ "$v" =~ ^[0-9]+$ ]] || continue
		if ((v > bestv)); then
			best="$d"
			bestv=$v
		fi
	done
	if [[ -n "$best" ]]; then
		echo "$best"
		return
	fi
	local j
	j=$(command -v java) || die "no Java found: set ES_JAVA_HOME to a JDK 17 or newer"
	dirname "$(dirname "$(readlink -f "$j")")"
}

fetch() {
	[[ -x "$DIST/bin/elasticsearch" ]] && return
	command -v mvn >/dev/null || die "mvn not found: it fetches $ES_ARTIFACT"
	command -v unzip >/dev/null || die "unzip not found"
	mkdir -p "$CACHE"
	local dl="$CACHE/download"
	rm -rf "$dl"
	mkdir -p "$dl"
	say "fetching $ES_ARTIFACT"
	if ! mvn -q -B dependency:copy -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$dl" -Dmdep.useBaseVersion=true >"$CACHE/fetch.log" 2>&1; then
		tail -20 "$CACHE/fetch.log" >&2
		die "could not fetch $ES_ARTIFACT"
	fi
	local zip
	zip=$(ls "$dl"/*.zip 2>/dev/null | head -1)
	[[ -n "$zip" ]] || die "mvn left no zip in $dl"
	rm -rf "$CACHE/unpack"
	mkdir -p "$CACHE/unpack"
	unzip -q "$zip" -d "$CACHE/unpack"
	rm -rf "$DIST"
	mv "$CACHE/unpack/elasticsearch-${ES_VERSION}" "$DIST"
	rm -rf "$CACHE/unpack" "$dl"
}

# as_node runs a command as the node's user.
as_node() {
	if [[ $(id -u) -ne 0 ]]; then
		"$@"
	elif command -v runuser >/dev/null; then
		runuser -u "$ES_USER" -- "$@"
	else
		su -s /bin/sh "$ES_USER" -c "$(printf '%q ' "$@")"
	fi
}

ensure_user() {
	[[ $(id -u) -eq 0 ]] || return 0
	if ! id "$ES_USER" >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" ||
			die "could not create user $ES_USER"
	fi
}

health() {
	curl -fsS --max-time 5 "$1/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

# lock serializes start and stop across processes.
lock() {
	mkdir -p "$CACHE"
	if command -v flock >/dev/null; then
		exec 9>"$CACHE/lock"
		flock 9
	fi
}

cmd_start() {
	local pid url
	command -v curl >/dev/null || die "curl not found"
	lock
	if pid=$(running_pid); then
		url=$(cat "$STATEFILE")
		# Running, perhaps still starting: wait for it rather than start another.
		local deadline=$((SECONDS + TIMEOUT))
		until health "$url" >/dev/null; do
			if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
				tail -40 "$RUN/logs/ogi-test.log" >&2 2>/dev/null || true
				die "pid $pid runs but does not answer on $url; try: $0 stop"
			fi
			sleep 0.5
		done
		say "already running (pid $pid)"
		echo "$url"
		return
	fi
	local t0=$SECONDS
	fetch
	ensure_user

	# A fresh data directory each start: the node is for tests.
	rm -rf "$RUN"
	mkdir -p "$RUN/data" "$RUN/logs" "$RUN/tmp"
	cp -r "$DIST/config" "$RUN/config"
	local port jh
	port=$(pick_port)
	jh=$(java_home)
	# The integ-test zip has only the transport, x-pack-core/security and
	# apm modules: no geoip or ml settings (they would be refused), and no
	# analysis-common, so no cjk analyzer (the store's "auto" picks standard).
	cat >"$RUN/config/elasticsearch.yml" <<EOF
cluster.name: ogi-test
node.name: ogi-test-node
path.data: $RUN/data
path.logs: $RUN/logs
network.host: 127.0.0.1
http.port: $port
transport.port: 9300-9399
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
	if [[ $(id -u) -eq 0 ]]; then
		chmod 755 "$CACHE"
		chmod -R a+rX "$DIST"
		chown -R "$ES_USER" "$RUN"
	fi

	url="http://127.0.0.1:$port"
	say "starting Elasticsearch $ES_VERSION on $url (java: $jh, heap $HEAP, data: $RUN/data)"
	rm -f "$PIDFILE" "$STATEFILE"
	if ! as_node env ES_JAVA_HOME="$jh" ES_PATH_CONF="$RUN/config" ES_TMPDIR="$RUN/tmp" \
		ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
		"$DIST/bin/elasticsearch" -d -p "$RUN/es.pid" >"$STARTLOG" 2>&1 9>&-; then
		tail -40 "$STARTLOG" >&2
		[[ -f "$RUN/logs/ogi-test.log" ]] && tail -40 "$RUN/logs/ogi-test.log" >&2
		die "Elasticsearch did not start"
	fi
	local deadline=$((SECONDS + TIMEOUT))
	while [[ ! -s "$RUN/es.pid" ]] && ((SECONDS < deadline)); do sleep 0.2; done
	pid=$(cat "$RUN/es.pid" 2>/dev/null || true)
	[[ -n "$pid" ]] && echo "$pid" >"$PIDFILE"
	echo "$url" >"$STATEFILE"
	until health "$url" >/dev/null; do
		if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
			say "Elasticsearch did not answer on $url within ${TIMEOUT}s; log tail:"
			tail -40 "$STARTLOG" >&2 || true
			tail -60 "$RUN/logs/ogi-test.log" >&2 2>/dev/null || true
			[[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
			rm -f "$PIDFILE" "$STATEFILE"
			exit 1
		fi
		sleep 0.5
	done
	say "up in $((SECONDS - t0))s (pid $pid, log $RUN/logs/ogi-test.log)"
	echo "$url"
}

cmd_stop() {
	local pid
	lock
	if ! pid=$(running_pid); then
		rm -f "$PIDFILE" "$STATEFILE"
		say "not running"
		return
	fi
	kill "$pid"
	local i
	for i in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "pid $pid did not exit in 30s; killing it"
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$PIDFILE" "$STATEFILE"
	say "stopped (pid $pid)"
}

cmd_url() {
	running_pid >/dev/null || die "not running"
	cat "$STATEFILE"
}

cmd_status() {
	local pid url
	if ! pid=$(running_pid); then
		echo "not running"
		exit 1
	fi
	url=$(cat "$STATEFILE")
	echo "running: pid $pid, $url"
	curl -fsS --max-time 5 "$url/_cluster/health" || { echo; die "not answering on $url"; }
	echo
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
url) cmd_url ;;
status) cmd_status ;;
*) usage ;;
esac
