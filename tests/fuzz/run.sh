#!/bin/sh
# Run the libFuzzer targets named after SECONDS (build/fuzz/fuzz_NAME),
# each for SECONDS on a copy of tests/fuzz/corpus/NAME in build/fuzz/corpus
# (the tree is left alone), and print per target the number of inputs run.
# Crashing inputs land in build/fuzz/crashes/NAME/. Ends with one line
# "fuzz: N targets, M executions, K crashes"; exit 0 only when K is 0.
set -u
cd "$(dirname "$0")/../.."
secs=${1:?usage: run.sh SECONDS NAME...}
shift

targets=0
total=0
crashes=0
for t in "$@"; do
	bin=build/fuzz/fuzz_$t
	corpus=build/fuzz/corpus/$t
	art=build/fuzz/crashes/$t
	log=build/fuzz/$t.log
	targets=$((targets + 1))
	rm -rf "$corpus" "$art"
	mkdir -p "$corpus" "$art"
	if [ -d "tests/fuzz/corpus/$t" ]; then
		cp tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
	fi
	seeds=$(ls "$corpus" | wc -l)
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix="$art/" "$corpus" \
	    > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' \
	    "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
	    sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, features \2, corpus \3/p')
	execs=${execs:-0}
	total=$((total + execs))
	if [ $rc -eq 0 ] && ! grep -q '^==[0-9]*==ERROR' "$log"; then
		printf 'PASS fuzz %-8s %10s executions in %ss (%s seeds; %s)\n' \
		    "$t" "$execs" "$secs" "$seeds" "${cov:-no coverage line}"
	else
		crashes=$((crashes + 1))
		printf 'FAIL fuzz %-8s %10s executions, exit %s; log %s\n' \
		    "$t" "$execs" "$rc" "$log"
		grep -E 'fuzz: invariant broken|^==[0-9]+==ERROR|SUMMARY:|runtime error|^artifact_prefix|Test unit written to|ALARM|out-of-memory' \
		    "$log" | head -n 12 | sed 's/^/    /'
	fi
done
echo "fuzz: $targets targets, $total executions, $crashes crashes"
[ $crashes -eq 0 ]
