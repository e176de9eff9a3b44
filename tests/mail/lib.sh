# lib.sh: helpers for the mail tests, sourced after tests/cli/lib.sh (which
# gives $T, write_config, run, pass/fail and the expect_* checks).
#
#   start_smtpd [ARGS]     start tests/mail/smtpd.py on loopback in the
#                          background (a running one is stopped first); sets
#                          $SMTP_PORT, $SMTP_LOG, $SMTP_MAILDIR; returns 1
#                          when it did not come up within 10 seconds
#   stop_smtpd             stop it (SIGTERM, SIGKILL after 5 seconds); also
#                          run when the script exits
#   smtp_config [KEY=V...] write_config for the smtp backend on $SMTP_PORT
#   make_certs             $CERTS/ca.pem, server.pem/.key (signed by the CA,
#                          for localhost, 127.0.0.1 and ::1) and
#                          untrusted.pem/.key (self-signed, same names)
#   make_message FILE [ID] a small LF message with Message-ID <ID@test>
#   crlf FILE              FILE with CRLF line ends on stdout
#   count_connections      connections the server accepted
#   count_log PATTERN      log lines matching PATTERN (grep -E)
#   received_count         messages the server stored
#   received N             path of the Nth stored message (its .env beside)
#   mail_send ARGS         run build/mail-send (or $MAIL_SEND) via run
MAIL_SEND=${MAIL_SEND:-$top/build/mail-send}
SMTPD_PY="$top/tests/mail/smtpd.py"
PYTHON=/usr/bin/python3
CERTS="$T/certs"
SMTP_PID=
SMTP_PORT=
SMTP_LOG=/dev/null
SMTP_MAILDIR=
smtpd_n=0
trap 'stop_smtpd; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

stop_smtpd() {
	[ -n "$SMTP_PID" ] || return 0
	kill -TERM "$SMTP_PID" 2>/dev/null
	i=0
	while kill -0 "$SMTP_PID" 2>/dev/null && [ $i -lt 50 ]; do
		# An exited server the shell has not reaped yet is done too.
		case $(cut -d' ' -f3 "/proc/$SMTP_PID/stat" 2>/dev/null) in
		Z | "") break ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$SMTP_PID" 2>/dev/null
	wait "$SMTP_PID" 2>/dev/null
	SMTP_PID=
	return 0
}

start_smtpd() {
	stop_smtpd
	smtpd_n=$((smtpd_n + 1))
	d="$T/smtpd$smtpd_n"
	mkdir -p "$d/maildir"
	SMTP_LOG="$d/log"
	SMTP_MAILDIR="$d/maildir"
	: > "$SMTP_LOG"
	"$PYTHON" "$SMTPD_PY" --port 0 --port-file "$d/port" \
	    --pid-file "$d/pid" --maildir "$SMTP_MAILDIR" --log "$SMTP_LOG" \
	    --lifetime 300 "$@" > "$d/stderr" 2>&1 &
	SMTP_PID=$!
	i=0
	while [ ! -s "$d/port" ] && [ $i -lt 100 ]; do
		if ! kill -0 "$SMTP_PID" 2>/dev/null; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -s "$d/port" ]; then
		echo "  smtpd did not start: $(cat "$d/stderr")"
		stop_smtpd
		SMTP_PORT=
		return 1
	fi
	SMTP_PORT=$(cat "$d/port")
	return 0
}

smtp_config() {
	set -- EMAIL_BACKEND=smtp "$@"
	case " $* " in *" EMAIL_HOST="*) ;; *) set -- "$@" EMAIL_HOST=127.0.0.1 ;; esac
	case " $* " in *" EMAIL_PORT="*) ;; *) set -- "$@" "EMAIL_PORT=$SMTP_PORT" ;; esac
	case " $* " in *" EMAIL_TIMEOUT="*) ;; *) set -- "$@" EMAIL_TIMEOUT=5 ;; esac
	write_config "$@"
}

make_certs() {
	[ -f "$CERTS/untrusted.pem" ] && return 0
	mkdir -p "$CERTS"
	(
		cd "$CERTS" || exit 1
		ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
		# shellcheck disable=SC2086
		openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 \
		    -subj "/CN=watchdog test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
		openssl req $ec -keyout server.key -out server.csr \
		    -subj "/CN=localhost" &&
		printf '%s\n' "basicConstraints=CA:FALSE" \
		    "keyUsage=critical,digitalSignature" \
		    "extendedKeyUsage=serverAuth" \
		    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > ext.cnf &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -set_serial 2 -days 2 -extfile ext.cnf -out server.pem &&
		openssl req -x509 $ec -keyout untrusted.key -out untrusted.pem \
		    -days 2 -subj "/CN=localhost" \
		    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
	) > "$T/openssl.out" 2>&1
}

make_message() {
	{
		printf 'Date: Fri, 27 Nov 2026 14:00:00 +0000\n'
		printf 'From: watchdog@example.org\n'
		printf 'To: owner@example.org\n'
		printf 'Subject: [watchdog #%s] test\n' "${2:-1}"
		printf 'Message-ID: <%s@test>\n' "${2:-1}"
		printf 'MIME-Version: 1.0\n'
		printf 'Content-Type: text/plain; charset=UTF-8\n'
		printf '\n'
		printf 'Ticket %s is due.\n' "${2:-1}"
	} > "$1"
}

crlf() {
	sed 's/$/\r/' "$1"
}

count_connections() {
	grep -c '^c[0-9]* connect ' "$SMTP_LOG"
}

count_log() {
	grep -Ec -- "$1" "$SMTP_LOG"
}

received_count() {
	find "$SMTP_MAILDIR" -name '*.eml' ! -name '.*' | wc -l | tr -d ' '
}

received() {
	echo "$SMTP_MAILDIR/$1.eml"
}

mail_send() {
	run "$MAIL_SEND" "$@"
}

# Check that the test tools are there before anything else.
mail_prereqs() {
	if [ ! -x "$MAIL_SEND" ]; then
		fail "build/mail-send exists" "run make build/mail-send"
		return 1
	fi
	if ! "$PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
		fail "python3-aiosmtpd installed" "apt-get install python3-aiosmtpd"
		return 1
	fi
	return 0
}
