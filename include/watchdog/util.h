/*
 * util.h: allocation that cannot sensibly fail (it aborts), and small
 * string helpers (tmux style).
 */
#ifndef WATCHDOG_UTIL_H
#define WATCHDOG_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* A newly allocated formatted string; the caller frees it. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growing string buffer; buf is always NUL-terminated once used. */
struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
void	 strbuf_add(struct strbuf *sb, const char *s, size_t n);
void	 strbuf_addstr(struct strbuf *sb, const char *s);
void	 strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (who frees it) and reset SB. */
char	*strbuf_detach(struct strbuf *sb);
void	 strbuf_free(struct strbuf *sb);

/* Parse a whole decimal integer in [MIN, MAX]; 0 on success, -1 otherwise. */
int	 parse_int64(const char *s, long long min, long long max, long long *out);

/* Case-insensitive ASCII comparison. */
int	 ascii_casecmp(const char *a, const char *b);

/*
 * Look SYMBOL up in the library HANDLE (from dlopen) into the function
 * pointer at FN (the address of a pointer variable). 0, or -1 when absent.
 */
int	 lib_sym(void *handle, const char *symbol, void *fn);

/* Levenshtein distance between two short ASCII strings (for "did you mean"). */
size_t	 edit_distance(const char *a, const char *b);

#endif
