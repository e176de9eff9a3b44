/*
 * columns.c: the column layout of the queue; see columns.h.
 */
#include <stdio.h>
#include <string.h>

#include "watchdog/columns.h"

/*
 * The widths for a terminal WIDTH columns wide, an id column of ID_WIDTH;
 * one space after each column but the last.
 */
void
columns_layout(int width, int id_width, struct columns *c)
{
	int	fixed;

	memset(c, 0, sizeof *c);
	c->id = id_width > COLUMNS_ID_MIN ? id_width : COLUMNS_ID_MIN;
	c->pri = 4;
	c->status = 11;
	c->sla = 8;
	c->assignee = 8;
	c->year = width >= COLUMNS_WIDE;
	c->deadline = c->year ? 16 : 11;
	c->left = COLUMNS_LEFT;
	fixed = c->id + c->pri + c->sla + c->assignee + c->deadline +
	    c->left + 7;
	if (width - fixed - c->status < 30) {
		c->short_status = true;
		c->status = 8;
	}
	/* On a narrow terminal the title keeps its room: less goes first. */
	if (width - fixed - c->status < COLUMNS_TITLE_MIN) {
		fixed -= c->assignee + 1;
		c->assignee = 0;
	}
	if (width - fixed - c->status < COLUMNS_TITLE_MIN) {
		fixed -= c->deadline + 1;
		c->deadline = 0;
	}
	c->title = width - fixed - c->status;
	if (c->title < 5)
		c->title = 5;
}

/* The number of digits of ID (a minus sign counts). */
int
columns_id_width(int64_t id)
{
	char	buf[24];
	int	n;

	n = snprintf(buf, sizeof buf, "%lld", (long long)id);
	return n > 0 ? n : 1;
}

/* TEXT right-aligned in COLUMNS_LEFT columns, into BUF (LEN bytes). */
void
columns_pad_left(const char *text, char *buf, size_t len)
{
	snprintf(buf, len, "%*s", COLUMNS_LEFT, text);
}
