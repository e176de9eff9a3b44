/*
 * columns.h: the column layout of the queue in the terminal UI. Pure: the
 * widths follow from the terminal's width (and the id column's width)
 * alone, never from the rows shown, so that columns stay where they are
 * while the countdowns tick and tickets come and go.
 */
#ifndef WATCHDOG_COLUMNS_H
#define WATCHDOG_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* From this width on, deadlines show their year. */
#define COLUMNS_WIDE		100
/* The countdown: "overdue 123d 4h", "59m 59s left", "breached". */
#define COLUMNS_LEFT		15
/* The fewest columns the title gets before other columns give way. */
#define COLUMNS_TITLE_MIN	15
/* The id column is never narrower than this. */
#define COLUMNS_ID_MIN		3

/* The widths of one layout; 0: the column has given way. */
struct columns {
	int	id, pri, status, sla, title, assignee, deadline, left;
	bool	short_status;	/* "in_prog" for "in_progress" */
	bool	year;		/* deadlines with their year */
};

/*
 * Lay the queue out in WIDTH columns with an id column of ID_WIDTH (at
 * least COLUMNS_ID_MIN). Below 80 columns the assignee, then the deadline
 * give way so that the title keeps COLUMNS_TITLE_MIN.
 */
void	columns_layout(int width, int id_width, struct columns *c);

/* The digits of ID, the width its column needs. */
int	columns_id_width(int64_t id);

/*
 * Right-align TEXT (ASCII) in COLUMNS_LEFT columns into BUF, so that the
 * countdown ends at the same column whatever its length.
 */
void	columns_pad_left(const char *text, char *buf, size_t len);

#endif
