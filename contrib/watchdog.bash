# bash completion for watchdog(1): modes, options, the values of --status,
# --priority, --sla and --columns (comma-separated lists too), files for
# --config and --db, and account names for --assignee, --owner and
# --update-user when WATCHDOG_TOKEN is set (from watchdog --account-names,
# asked quietly).
#
# make install puts it where bash-completion looks:
# $(DATAROOTDIR)/bash-completion/completions/watchdog. The lists below are
# checked against the tables of the program by make check
# (tests/doccheck-completion.sh).

_watchdog_modes='--check-sla --init --add-user --register --token
	--revoke-tokens --mail-queue --doctor --list --show --explain --create
	--update --delete --comment --users --update-user --password
	--account-names --serve --import-django --copy-to --help --version'
_watchdog_options='--config --db --json --user --password-stdin --email
	--admin --title --deadline --description --status --priority
	--assignee --if-version --mine --overdue --all --owner --sla
	--due-within --search --limit --after --count --ndjson --csv --ids
	--columns --no-headers --text --no-admin --disable --enable
	--reset-password --listen --dry-run --verbose'
_watchdog_statuses='open in_progress on_hold resolved'
_watchdog_priorities='low normal high urgent'
_watchdog_slas='ok warning missed paused met breached'
_watchdog_columns='id priority status sla deadline left assignee title owner
	created updated resolved version'

# Complete the last item of a comma-separated list in $cur from the words
# $1: "open,on_h" -> "open,on_hold".
_watchdog_list()
{
	local prefix= last=$cur
	case $cur in
	*,*)
		prefix=${cur%,*},
		last=${cur##*,}
		;;
	esac
	COMPREPLY=($(compgen -P "$prefix" -W "$1" -- "$last"))
}

# The account names, when a token is set; nothing (and nothing shown)
# otherwise. $1 is the program as typed.
_watchdog_names()
{
	[ -n "${WATCHDOG_TOKEN-}" ] || return 0
	"$1" --account-names 2>/dev/null </dev/null
}

_watchdog()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	--status)
		_watchdog_list "$_watchdog_statuses"
		return
		;;
	--priority)
		_watchdog_list "$_watchdog_priorities"
		return
		;;
	--sla)
		_watchdog_list "$_watchdog_slas"
		return
		;;
	--columns)
		_watchdog_list "$_watchdog_columns"
		return
		;;
	--assignee)
		COMPREPLY=($(compgen -W "me none $(_watchdog_names "$1")" -- "$cur"))
		return
		;;
	--owner)
		COMPREPLY=($(compgen -W "me $(_watchdog_names "$1")" -- "$cur"))
		return
		;;
	--update-user)
		COMPREPLY=($(compgen -W "$(_watchdog_names "$1")" -- "$cur"))
		return
		;;
	--config|--db|--import-django|--copy-to)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--update|--delete)
		COMPREPLY=($(compgen -W "-" -- "$cur"))
		return
		;;
	--title|--deadline|--description|--user|--email|--if-version|\
	--due-within|--search|--limit|--after|--show|--explain|--add-user|\
	--register|--comment|--text|--listen)
		return
		;;
	esac
	case $cur in
	-*)
		COMPREPLY=($(compgen -W "$_watchdog_modes $_watchdog_options" \
		    -- "$cur"))
		;;
	esac
}
complete -F _watchdog watchdog
