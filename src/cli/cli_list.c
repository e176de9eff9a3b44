/*
 * cli_list.c: --list, its filters and its formats (watchdog(1), FILTERS
 * AND FORMATS): the aligned table, --json, --ndjson, --csv, --ids and
 * --count. Every format but the table streams: one row at a time, from
 * the query to standard output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watchdog/cli.h"
#include "watchdog/ratelimit.h"
#include "watchdog/ticket.h"
#include "watchdog/ticket_query.h"
#include "watchdog/timeutil.h"
#include "watchdog/utf8.h"
#include "watchdog/util.h"

/* One column of the table: its name for --columns, its header, its cell. */
struct list_column {
	const char	*name;
	const char	*header;
	/* The cell of T: a string of T's, or BUF filled. */
	const char	*(*cell)(const struct cli *, const struct ticket *,
			    char *, size_t);
};

#define LIST_MAXCOLS	32

/* The rows of a table being built: cells are visible, owned strings. */
struct table {
	const struct list_column *cols[LIST_MAXCOLS];
	size_t		  ncols;
	char		**cells;	/* nrows * ncols */
	size_t		  nrows;
	size_t		  cap;
	size_t		  width[LIST_MAXCOLS];
};

/* What the row callbacks share. */
struct list_out {
	struct cli	*cli;
	struct table	*tb;
	size_t		 n;
};

/* The ticket id. */
static const char *
cell_id(const struct cli *cli, const struct ticket *t, char *buf, size_t len)
{
	(void)cli;
	snprintf(buf, len, "%lld", (long long)t->id);
	return buf;
}

/* The title. */
static const char *
cell_title(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli, (void)buf, (void)len;
	return t->title;
}

/* The status. */
static const char *
cell_status(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli, (void)buf, (void)len;
	return t->status;
}

/* The priority. */
static const char *
cell_priority(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli, (void)buf, (void)len;
	return t->priority;
}

/* The SLA state. */
static const char *
cell_sla(const struct cli *cli, const struct ticket *t, char *buf, size_t len)
{
	(void)cli, (void)buf, (void)len;
	return sla_state_name(t->sla);
}

/* Who created the ticket. */
static const char *
cell_owner(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli, (void)buf, (void)len;
	return t->owner;
}

/* The assignee, or "-". */
static const char *
cell_assignee(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli, (void)buf, (void)len;
	return t->assignee != NULL ? t->assignee : "-";
}

/* A local time, or "-" for none. */
static const char *
cell_time(int64_t when, char *buf, size_t len)
{
	if (when == 0)
		return "-";
	time_format_local(when, buf, len);
	return buf;
}

/* The deadline in local time. */
static const char *
cell_deadline(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli;
	return cell_time(t->deadline, buf, len);
}

/* When the ticket was created, local time. */
static const char *
cell_created(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli;
	return cell_time(t->created_at, buf, len);
}

/* When it last changed, local time. */
static const char *
cell_updated(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli;
	return cell_time(t->updated_at, buf, len);
}

/* When it was resolved, local time, or "-". */
static const char *
cell_resolved(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli;
	return cell_time(t->resolved_at, buf, len);
}

/* The countdown while open, else "-". */
static const char *
cell_left(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	if (t->resolved_at != 0)
		return "-";
	time_format_left(t->deadline - cli->now, buf, len);
	return buf;
}

/* The version number. */
static const char *
cell_version(const struct cli *cli, const struct ticket *t, char *buf,
    size_t len)
{
	(void)cli;
	snprintf(buf, len, "%lld", (long long)t->version);
	return buf;
}

/* The columns --columns names; the first eight are the default table. */
static const struct list_column list_columns[] = {
	{ "id", "ID", cell_id },
	{ "priority", "PRIORITY", cell_priority },
	{ "status", "STATUS", cell_status },
	{ "sla", "SLA", cell_sla },
	{ "deadline", "DEADLINE", cell_deadline },
	{ "left", "LEFT", cell_left },
	{ "assignee", "ASSIGNEE", cell_assignee },
	{ "title", "TITLE", cell_title },
	{ "owner", "OWNER", cell_owner },
	{ "created", "CREATED", cell_created },
	{ "updated", "UPDATED", cell_updated },
	{ "resolved", "RESOLVED", cell_resolved },
	{ "version", "VERSION", cell_version },
	{ NULL, NULL, NULL }
};
#define LIST_DEFAULT_COLS	8

/* The names --columns takes, for its error message and for completion. */
static char *
list_column_names(void)
{
	struct strbuf			 sb;
	const struct list_column	*c;

	memset(&sb, 0, sizeof sb);
	for (c = list_columns; c->name != NULL; c++)
		strbuf_addf(&sb, "%s%s", c == list_columns ? "" : ",", c->name);
	return strbuf_detach(&sb);
}

/* Fill TB's columns from --columns (or the default). 0 or an exit code. */
static int
table_columns(struct table *tb, const char *spec)
{
	const struct list_column	*c;
	const char			*p, *end;
	char				*names;
	size_t				 len;
	int				 rc;

	if (spec == NULL) {
		for (tb->ncols = 0; tb->ncols < LIST_DEFAULT_COLS; tb->ncols++)
			tb->cols[tb->ncols] = &list_columns[tb->ncols];
		return 0;
	}
	for (p = spec; ; p = end + 1) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (c = list_columns; c->name != NULL; c++) {
			if (strlen(c->name) == len &&
			    strncmp(c->name, p, len) == 0)
				break;
		}
		if (c->name == NULL || tb->ncols == LIST_MAXCOLS) {
			names = list_column_names();
			rc = cli_failf(WD_EUSAGE, "--columns: bad column "
			    "'%.*s': use %s", (int)len, p, names);
			free(names);
			return rc;
		}
		tb->cols[tb->ncols++] = c;
		if (end == NULL)
			return 0;
	}
}

/* Add one ticket as a row of the table (a ticket_query_rows callback). */
static int
table_add(const struct ticket *t, void *arg)
{
	struct list_out	*lo = arg;
	struct table	*tb = lo->tb;
	char		 buf[64], **cell;
	size_t		 i, w;

	if (tb->nrows == tb->cap) {
		tb->cap = tb->cap == 0 ? 64 : tb->cap * 2;
		tb->cells = xreallocarray(tb->cells, tb->cap * tb->ncols,
		    sizeof *tb->cells);
	}
	for (i = 0; i < tb->ncols; i++) {
		cell = &tb->cells[tb->nrows * tb->ncols + i];
		*cell = utf8_visible(tb->cols[i]->cell(lo->cli, t, buf,
		    sizeof buf), false);
		if ((w = utf8_width(*cell)) > tb->width[i])
			tb->width[i] = w;
	}
	tb->nrows++;
	return 0;
}

/* Print S padded with spaces to WIDTH display columns. */
static void
print_padded(const char *s, size_t width)
{
	size_t	w;

	fputs(s, stdout);
	for (w = utf8_width(s); w < width; w++)
		putchar(' ');
}

/*
 * Print the table aligned by display width, with the header line unless
 * NO_HEADERS; the last column runs to the end of the line.
 */
static void
table_print(struct table *tb, bool no_headers)
{
	const char	*s;
	size_t		 r, i;

	for (i = 0; i < tb->ncols; i++) {
		if (!no_headers && utf8_width(tb->cols[i]->header) >
		    tb->width[i])
			tb->width[i] = utf8_width(tb->cols[i]->header);
	}
	for (r = no_headers ? 1 : 0; r <= tb->nrows; r++) {
		for (i = 0; i < tb->ncols; i++) {
			s = r == 0 ? tb->cols[i]->header :
			    tb->cells[(r - 1) * tb->ncols + i];
			if (i == tb->ncols - 1)
				fputs(s, stdout);
			else {
				print_padded(s, tb->width[i]);
				fputs("  ", stdout);
			}
		}
		putchar('\n');
	}
}

/* Free the cells of TB. */
static void
table_free(struct table *tb)
{
	size_t	i;

	for (i = 0; i < tb->nrows * tb->ncols; i++)
		free(tb->cells[i]);
	free(tb->cells);
}

/* Print one id a line (--ids). */
static int
ids_print(int64_t id, void *arg)
{
	(void)arg;
	printf("%lld\n", (long long)id);
	return 0;
}

/* Print one JSON object a line (--ndjson). */
static int
ndjson_print(const char *json, void *arg)
{
	(void)arg;
	cli_put_json(json);
	putchar('\n');
	return 0;
}

/*
 * Print one CSV field (RFC 4180): quoted when it holds a comma, a quote,
 * a carriage return or a line feed, its quotes doubled; NULL is empty.
 */
static void
csv_field(const char *s, bool last)
{
	const char	*p;

	if (s != NULL && strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else if (s != NULL)
		fputs(s, stdout);
	fputs(last ? "\r\n" : ",", stdout);
}

/* An ISO 8601 UTC time as a CSV field, empty for none. */
static void
csv_time(int64_t when)
{
	char	buf[32];

	if (when == 0) {
		csv_field(NULL, false);
		return;
	}
	time_format_iso(when, buf, sizeof buf);
	csv_field(buf, false);
}

/* The CSV header: the fields of the JSON object, in its order. */
static const char csv_header[] = "id,title,description,status,priority,"
    "owner,assignee,deadline,created_at,updated_at,resolved_at,sla_state,"
    "sla_policy,paused_seconds,version\r\n";

/* Print one ticket as a CSV record (--csv). */
static int
csv_print(const struct ticket *t, void *arg)
{
	char	buf[32];
	char	*safe;

	(void)arg;
	snprintf(buf, sizeof buf, "%lld", (long long)t->id);
	csv_field(buf, false);
	/* The format characters (U+202E, ...) as \u escapes, as in JSON. */
	safe = utf8_json_escape(t->title);
	csv_field(safe, false);
	free(safe);
	safe = utf8_json_escape(t->description);
	csv_field(safe, false);
	free(safe);
	csv_field(t->status, false);
	csv_field(t->priority, false);
	csv_field(t->owner, false);
	csv_field(t->assignee, false);
	csv_time(t->deadline);
	csv_time(t->created_at);
	csv_time(t->updated_at);
	csv_time(t->resolved_at);
	csv_field(sla_state_name(t->sla), false);
	csv_field(t->sla_policy, false);
	snprintf(buf, sizeof buf, "%lld", (long long)t->paused_seconds);
	csv_field(buf, false);
	snprintf(buf, sizeof buf, "%lld", (long long)t->version);
	csv_field(buf, true);
	return 0;
}

/* Parse a positive number for option WHAT into *OUT. 0 or an exit code. */
static int
list_number(const char *what, const char *s, int64_t *out)
{
	long long	v;

	if (s == NULL)
		return 0;
	if (s[0] == '#')
		s++;
	if (parse_int64(s, 1, INT64_MAX, &v) != 0)
		return cli_failf(WD_EDATA, "--%s: bad number '%s': use a "
		    "positive whole number", what, s);
	*out = v;
	return 0;
}

/* Parse --due-within (90m, 4h, 2d, 1h30m) into Q. 0 or an exit code. */
static int
list_due(const char *s, struct ticket_query *q)
{
	enum wd_status	 status;
	char		*rel, *cause = NULL;

	if (s == NULL)
		return 0;
	rel = xasprintf("+%s", s);
	status = s[0] == '+' || s[0] == '-' ? WD_EDATA :
	    time_parse_deadline(rel, 0, &q->due_within, &cause);
	free(rel);
	free(cause);
	if (status != WD_OK)
		return cli_failf(WD_EDATA, "--due-within: bad duration '%s': "
		    "use minutes, hours, days or weeks such as 90m, 4h, 2d "
		    "or 1h30m", s);
	q->has_due = true;
	return 0;
}

/* Check the format options: at most one. 0 or an exit code. */
static int
list_check_format(const struct cli *cli)
{
	int	n;

	n = cli->json + cli->ndjson + cli->csv + cli->ids + cli->count;
	if (n > 1)
		return cli_fail(WD_EUSAGE, "--json, --ndjson, --csv, --ids and "
		    "--count exclude each other");
	if (cli->columns != NULL && n > 0)
		return cli_fail(WD_EUSAGE, "--columns is for the table, not "
		    "with --json, --ndjson, --csv, --ids or --count");
	if (cli->no_headers && n > 0 && !cli->csv)
		return cli_fail(WD_EUSAGE, "--no-headers is for the table and "
		    "--csv");
	if (cli->mine + cli->overdue + cli->all > 1)
		return cli_fail(WD_EUSAGE, "--mine, --overdue and --all "
		    "exclude each other");
	return 0;
}

/* Fill Q from the options. 0 or an exit code. */
static int
list_query(const struct cli *cli, struct ticket_query *q)
{
	int	rc;

	memset(q, 0, sizeof *q);
	q->all = cli->all;
	q->mine = cli->mine;
	q->overdue = cli->overdue;
	q->statuses = cli->status;
	q->priorities = cli->priority;
	q->slas = cli->sla;
	q->assignee = cli->assignee;
	q->owner = cli->owner;
	q->search = cli->search;
	if ((rc = list_number("limit", cli->limit, &q->limit)) != 0 ||
	    (rc = list_number("after", cli->after, &q->after)) != 0 ||
	    (rc = list_due(cli->due_within, q)) != 0)
		return rc;
	return 0;
}

/* The table: every row read, then printed aligned. */
static enum wd_status
list_table(struct cli *cli, const struct ticket_plan *plan,
    struct table *tb, char **cause)
{
	struct list_out	lo = { cli, tb, 0 };
	enum wd_status	status;

	status = ticket_query_rows(cli->db, plan, TQ_OUT_ROWS, cli->now,
	    table_add, &lo, cause);
	if (status != WD_OK)
		return status;
	if (tb->nrows == 0 && !cli->no_headers)
		printf("no tickets\n");
	else if (tb->nrows > 0)
		table_print(tb, cli->no_headers);
	return WD_OK;
}

/* Print PLAN's tickets in the format asked for. */
static enum wd_status
list_print(struct cli *cli, const struct ticket_plan *plan, struct table *tb,
    char **cause)
{
	enum wd_status	status;
	int64_t		n = 0;
	size_t		elements = 0;

	if (cli->count) {
		if ((status = ticket_query_count(cli->db, plan, cli->now, &n,
		    cause)) == WD_OK)
			printf("%lld\n", (long long)n);
		return status;
	}
	if (cli->json) {
		fputs("[", stdout);
		status = ticket_query_json(cli->db, plan, cli->now,
		    cli_json_element, &elements, cause);
		/* A failure leaves the array open: no reader takes it whole. */
		if (status == WD_OK)
			fputs(elements == 0 ? "]\n" : "\n]\n", stdout);
		return status;
	}
	if (cli->ndjson)
		return ticket_query_json(cli->db, plan, cli->now, ndjson_print,
		    NULL, cause);
	if (cli->ids)
		return ticket_query_ids(cli->db, plan, cli->now, ids_print,
		    NULL, cause);
	if (cli->csv) {
		if (!cli->no_headers)
			fputs(csv_header, stdout);
		return ticket_query_rows(cli->db, plan, TQ_OUT_FULL, cli->now,
		    csv_print, NULL, cause);
	}
	return list_table(cli, plan, tb, cause);
}

/* --list [filters] [format]; see watchdog(1), FILTERS AND FORMATS. */
int
cli_list(struct cli *cli)
{
	struct ticket_query	 q;
	struct ticket_plan	 plan;
	struct table		 tb;
	enum wd_status		 status;
	char			*cause = NULL;
	int			 rc;

	memset(&tb, 0, sizeof tb);
	if ((rc = list_check_format(cli)) != 0 ||
	    (rc = table_columns(&tb, cli->columns)) != 0 ||
	    (rc = list_query(cli, &q)) != 0)
		return rc;
	if ((rc = cli_auth_token(cli)) != 0)
		return rc;
	status = ticket_query_prepare(cli->db, &cli->cfg.sla, &q, &cli->me,
	    cli->now, &plan, &cause);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	/* One read of the read rate limit, whatever the rows. */
	status = ratelimit_take(cli->db, &cli->cfg.rate_limit_read,
	    cli->me.id, "read", cli->now, &cause);
	if (status == WD_OK)
		status = list_print(cli, &plan, &tb, &cause);
	ticket_plan_clear(&plan);
	table_free(&tb);
	if (status != WD_OK)
		return cli_fail_cause(status, cause);
	return 0;
}
