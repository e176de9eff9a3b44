# api.sh: the budgets of watchdog --serve, sourced by tests/bench/run.sh
# (figure, problem, $T, $WD). The load generator is Debian's wrk(1), over
# keep-alive connections; the server runs as nobody (it refuses root) on
# a database of BENCH_API_TICKETS tickets.
#
#   api_get_rps, api_get_p99_ms      GET /api/tickets/{id}/
#   api_post_rps, api_post_p99_ms    POST /api/tickets/ (a Lua script)
#   api_rss_growth_kb                resident memory after 100,000 more
#                                    requests, less before

API_TICKETS=${BENCH_API_TICKETS:-100}
API_SECONDS=${BENCH_API_SECONDS:-10}
API_CONNS=16		# GET
API_POST_CONNS=${BENCH_API_POST_CONNS:-2}	# POST: writers take turns

# wrk's requests a second in its output file $1.
wrk_rps() { awk '/^Requests\/sec:/ { print int($2) }' "$1"; }
# wrk's 99th percentile latency in ms in its output file $1.
wrk_p99() {
	awk '$1 == "99%" { v = $2
	    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
	    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
	    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
	    printf "%.2f\n", v }' "$1"
}
# The requests wrk made, from its output file $1.
wrk_total() { awk '/requests in/ { print $1 }' "$1"; }
# The resident memory of process $1 in kB.
rss_of() { ps -o rss= -p "$1" | tr -d ' '; }

api_bench() {
	if ! command -v wrk >/dev/null 2>&1; then
		problem "wrk is missing: apt-get install wrk"
		return
	fi
	A=$T/api
	mkdir -p "$A"
	chmod 755 "$T" "$A"
	cat > "$A/watchdog.conf" <<CONF
DATABASE_URL=$A/db/watchdog.db
EMAIL_BACKEND=file
EMAIL_FILE_PATH=$A/mail
RATE_LIMIT_CREATE=0
RATE_LIMIT_READ=0
API_MAX_CONNECTIONS=256
CONF
	export WATCHDOG_CONFIG=$A/watchdog.conf
	printf 'bench password 1\n' | "$WD" --add-user bench \
	    --email bench@example.org --admin --password-stdin >/dev/null || problem "api: --add-user failed"
	tok=$(printf 'bench password 1\n' | "$WD" --token --user bench \
	    --password-stdin)
	i=0
	while [ $i -lt "$API_TICKETS" ]; do
		WATCHDOG_TOKEN=$tok "$WD" --create --title "API bench $i" \
		    --deadline +1d >/dev/null 2>&1
		i=$((i + 1))
	done
	n=$(sqlite3 -cmd '.timeout 5000' "$A/db/watchdog.db" 'SELECT count(*) FROM tickets' 2>/dev/null)
	if [ "${n:-0}" -lt 1 ]; then
		problem "api: no ticket to read"
		return
	fi
	mkdir -p "$A/mail"
	chown -R 65534:65534 "$A/db" "$A/mail"
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	url=http://127.0.0.1:$port
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	    "$WD" --serve --listen "127.0.0.1:$port" 2>/dev/null &
	spid=$!
	i=0
	while [ $i -lt 100 ] && ! curl -s -o /dev/null "$url/"; do
		sleep 0.1
		i=$((i + 1))
	done
	cat > "$A/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"title": "Disk full on db1", "deadline": "+4h", "priority": "high"}'
wrk.headers["Content-Type"] = "application/json"
LUA
	auth="Authorization: Token $tok"
	# Warm up, then the memory before.
	wrk -t2 -c$API_CONNS -d2s -H "$auth" "$url/api/tickets/1/" >/dev/null
	rss0=$(rss_of "$spid")
	wrk -t2 -c$API_CONNS -d"${API_SECONDS}s" --latency -H "$auth" \
	    "$url/api/tickets/1/" > "$A/get.txt"
	figure api_get_rps "$(wrk_rps "$A/get.txt")" req/s
	figure api_get_p99_ms "$(wrk_p99 "$A/get.txt")" ms
	wrk -t2 -c$API_POST_CONNS -d"${API_SECONDS}s" --latency -H "$auth" \
	    -s "$A/post.lua" "$url/api/tickets/" > "$A/post.txt"
	figure api_post_rps "$(wrk_rps "$A/post.txt")" req/s
	figure api_post_p99_ms "$(wrk_p99 "$A/post.txt")" ms
	# Then GETs until 100,000 requests have been made after rss0.
	total=$(( $(wrk_total "$A/get.txt") + $(wrk_total "$A/post.txt") + 0 ))
	runs=0
	while [ "$total" -lt 100000 ] && [ $runs -lt 20 ]; do
		wrk -t2 -c$API_CONNS -d5s -H "$auth" "$url/api/tickets/1/" \
		    > "$A/more.txt"
		total=$((total + $(wrk_total "$A/more.txt") + 0))
		runs=$((runs + 1))
	done
	rss1=$(rss_of "$spid")
	echo "api_requests_measured $total requests"
	figure api_rss_growth_kb "$((rss1 - rss0))" kB
	kill -TERM "$spid"
	wait "$spid" || problem "api: the server did not exit 0 on SIGTERM"
	unset WATCHDOG_CONFIG
}
