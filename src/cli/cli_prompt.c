/*
 * cli_prompt.c: reading passwords (echo off on the terminal, or one line
 * of standard input with --password-stdin) and account names. Never from
 * argv or the environment; buffers are wiped after use.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "watchdog/cli.h"
#include "watchdog/util.h"

/* Longest line read, in bytes (a password longer than this is refused). */
#define PROMPT_MAX	1024

static volatile sig_atomic_t	prompt_signal;

static void
prompt_on_signal(int sig)
{
	prompt_signal = sig;
}

/*
 * Read one line from FD into BUF (SIZE bytes), without the line end.
 * Returns 0, 1 at end of input with nothing read, or -1 when the line is
 * too long or reading failed (errno EINTR after a signal).
 */
static int
prompt_read_fd(int fd, char *buf, size_t size)
{
	size_t	len = 0;
	ssize_t	n;
	char	c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0)
			return -1;
		if (n == 0) {
			if (len == 0)
				return 1;
			break;
		}
		if (c == '\n')
			break;
		if (len + 1 >= size) {
			/* Swallow the rest of the line, then refuse. */
			while (read(fd, &c, 1) == 1 && c != '\n')
				;
			errno = EMSGSIZE;
			return -1;
		}
		buf[len++] = c;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return 0;
}

/*
 * Prompt on the terminal TTY with echo off and read a line into BUF.
 * Returns 0 or an exit code. Signals that end the program restore the
 * terminal first.
 */
static int
prompt_tty_noecho(int tty, const char *prompt, char *buf, size_t size)
{
	struct termios		 saved, quiet;
	struct sigaction	 sa, old_int, old_term, old_hup;
	int			 r, saved_errno;

	if (tcgetattr(tty, &saved) != 0)
		return cli_fail(WD_EUSAGE, "cannot set up the terminal for the "
		    "password; use --password-stdin");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = prompt_on_signal;
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	(void)!write(tty, prompt, strlen(prompt));
	tcsetattr(tty, TCSAFLUSH, &quiet);
	r = prompt_read_fd(tty, buf, size);
	saved_errno = errno;
	tcsetattr(tty, TCSAFLUSH, &saved);
	(void)!write(tty, "\n", 1);

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (prompt_signal != 0) {
		sodium_memzero(buf, size);
		raise(prompt_signal);
		return cli_fail(WD_EFAIL, "interrupted");
	}
	if (r == 1)
		return cli_fail(WD_EAUTH, "no password given");
	if (r < 0) {
		sodium_memzero(buf, size);
		return cli_fail(saved_errno == EMSGSIZE ? WD_EDATA : WD_EFAIL,
		    saved_errno == EMSGSIZE ? "password is too long" :
		    "cannot read the password");
	}
	return 0;
}

/* Read a password; see cli.h. */
int
cli_read_password(struct cli *cli, const char *prompt, bool confirm,
    char **out)
{
	char	*buf, *again = NULL;
	int	 tty, r, rc = 0;

	*out = NULL;
	buf = sodium_malloc(PROMPT_MAX + 1);
	if (buf == NULL)
		return cli_fail(WD_EFAIL, "out of memory");
	if (cli->password_stdin) {
		r = prompt_read_fd(STDIN_FILENO, buf, PROMPT_MAX + 1);
		if (r == 1)
			rc = cli_fail(WD_EUSAGE, "--password-stdin: no "
			    "password on standard input");
		else if (r < 0)
			rc = cli_fail(errno == EMSGSIZE ? WD_EDATA : WD_EFAIL,
			    errno == EMSGSIZE ? "password is too long" :
			    "cannot read the password from standard input");
		goto out;
	}

	if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		rc = cli_fail(WD_EUSAGE, "no terminal to read the password "
		    "from; use --password-stdin");
		goto out;
	}
	rc = prompt_tty_noecho(tty, prompt, buf, PROMPT_MAX + 1);
	if (rc == 0 && confirm) {
		again = sodium_malloc(PROMPT_MAX + 1);
		if (again == NULL)
			rc = cli_fail(WD_EFAIL, "out of memory");
		else
			rc = prompt_tty_noecho(tty, "Again: ", again,
			    PROMPT_MAX + 1);
		if (rc == 0 && strcmp(buf, again) != 0)
			rc = cli_fail(WD_EDATA, "the passwords do not match");
	}
	close(tty);

out:
	if (again != NULL)
		sodium_free(again);
	if (rc != 0) {
		sodium_free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

/* Free a secret from cli_read_password (sodium_free wipes it). */
void
cli_free_secret(char *s)
{
	if (s != NULL)
		sodium_free(s);
}

/* Read a line with echo from the terminal; see cli.h. */
int
cli_read_line(const char *prompt, char **out)
{
	char	buf[256];
	int	tty, r;

	*out = NULL;
	if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return cli_fail(WD_EUSAGE, "no terminal to ask for the account "
		    "name; use --user NAME");
	(void)!write(tty, prompt, strlen(prompt));
	r = prompt_read_fd(tty, buf, sizeof buf);
	close(tty);
	if (r != 0)
		return cli_fail(WD_EAUTH, "no account name given");
	*out = xstrdup(buf);
	return 0;
}
