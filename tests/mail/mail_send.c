/*
 * mail_send.c: a test driver for the mail transports, not part of the
 * product.
 *
 *	build/mail-send CONFIG FROM RCPT [FILE...]
 *
 * Loads CONFIG with config_load(), opens one mailer and sends each FILE
 * (a whole message; bare LF line ends become CRLF), or one message read
 * from standard input when no FILE is given, all through that one mailer.
 * Prints one line per message: "sent FILE", "temp FILE: cause" or
 * "fail FILE: cause". Exits 0 when all were sent, 75 when any failed
 * temporarily, 1 otherwise (78 for a bad CONFIG, 64 for bad usage).
 *
 * It keeps one descriptor open without close-on-exec while it sends, so
 * that the tests can check that the sendmail child does not inherit it.
 * With MAIL_SEND_PAUSE=N in the environment it waits N seconds between
 * two messages (to let a server drop an idle connection).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog/config.h"
#include "watchdog/mailer.h"
#include "watchdog/status.h"
#include "watchdog/util.h"

/*
 * Read all of FP into a new string (the caller frees it) with every bare
 * LF turned into CRLF; its length goes in *LEN. Returns NULL on a read
 * error.
 */
static char *
read_message(FILE *fp, size_t *len)
{
	struct strbuf	 sb = { NULL, 0, 0 };
	char		 buf[8192];
	size_t		 n, i;
	int		 prev = -1;

	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' && prev != '\r')
				strbuf_add(&sb, "\r", 1);
			strbuf_add(&sb, &buf[i], 1);
			prev = (unsigned char)buf[i];
		}
	}
	if (ferror(fp)) {
		strbuf_free(&sb);
		return NULL;
	}
	*len = sb.len;
	return strbuf_detach(&sb);
}

/*
 * Send the message in file NAME ("-" for standard input) through M and
 * print the outcome line. Returns the status.
 */
static enum wd_status
send_one(struct mailer *m, const char *from, const char *rcpt,
    const char *name)
{
	FILE		*fp;
	char		*message, *cause = NULL;
	size_t		 len = 0;
	enum wd_status	 st;

	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "rb")) == NULL) {
		printf("fail %s: cannot open: %s\n", name, strerror(errno));
		return WD_EFAIL;
	}
	message = read_message(fp, &len);
	if (fp != stdin)
		fclose(fp);
	if (message == NULL) {
		printf("fail %s: cannot read\n", name);
		return WD_EFAIL;
	}
	st = mailer_send(m, from, rcpt, message, len, &cause);
	if (st == WD_OK)
		printf("sent %s\n", name);
	else
		printf("%s %s: %s\n", st == WD_ETEMP ? "temp" : "fail", name,
		    cause != NULL ? cause : status_text(st));
	fflush(stdout);
	free(cause);
	free(message);
	return st;
}

/*
 * Send each FILE (or standard input) through one mailer made from CONFIG;
 * see the top of this file for the output and the exit codes.
 */
int
main(int argc, char **argv)
{
	struct config	 cfg;
	struct mailer	*m = NULL;
	const char	*env;
	char		*cause = NULL;
	long long	 pause = 0;
	int		 i, ret = 0, leak;
	int		 ntemp = 0, nfail = 0;
	enum wd_status	 st;

	if (argc < 4) {
		fputs("usage: mail-send CONFIG FROM RCPT [FILE...]\n", stderr);
		return 64;
	}
	if ((env = getenv("MAIL_SEND_PAUSE")) != NULL &&
	    parse_int64(env, 0, 60, &pause) != 0) {
		fprintf(stderr, "mail-send: MAIL_SEND_PAUSE: 0 to 60\n");
		return 64;
	}
	/* A descriptor the sendmail child must not inherit. */
	leak = open("/dev/null", O_RDONLY);

	if ((st = config_load(&cfg, argv[1], &cause)) != WD_OK) {
		fprintf(stderr, "mail-send: %s\n", cause);
		ret = status_exit_code(st);
		goto out;
	}
	if ((st = mailer_open(&cfg, stdout, &m, &cause)) != WD_OK) {
		fprintf(stderr, "mail-send: %s\n", cause);
		ret = status_exit_code(st);
		goto out;
	}
	if (argc == 4) {
		st = send_one(m, argv[2], argv[3], "-");
		ntemp += st == WD_ETEMP;
		nfail += st != WD_OK && st != WD_ETEMP;
	}
	for (i = 4; i < argc; i++) {
		if (i > 4 && pause > 0)
			sleep((unsigned int)pause);
		st = send_one(m, argv[2], argv[3], argv[i]);
		ntemp += st == WD_ETEMP;
		nfail += st != WD_OK && st != WD_ETEMP;
	}
	ret = ntemp > 0 ? 75 : nfail > 0 ? 1 : 0;

out:
	mailer_close(m);
	config_free(&cfg);
	free(cause);
	if (leak != -1)
		close(leak);
	return ret;
}
