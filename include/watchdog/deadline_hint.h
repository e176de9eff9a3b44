/*
 * deadline_hint.h: what a form says about a deadline as it is typed: an
 * example built from the current time, and what the text typed so far
 * means ("+4h" -> "Thu 14:32"), with the parser the command line uses
 * (time_parse_deadline). Pure: the current time is passed in; local time
 * follows TZ.
 */
#ifndef WATCHDOG_DEADLINE_HINT_H
#define WATCHDOG_DEADLINE_HINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The example line of a deadline field into BUF: "e.g. +4h, +2d,
 * 2026-12-04 17:00", the absolute form being tomorrow at 17:00 from NOW.
 */
void	deadline_example(int64_t now, char *buf, size_t len);

/*
 * What TEXT means at NOW, into BUF: "-> Thu 14:32 (4h 0m left)", with the
 * date when it is not within the coming week ("-> Wed 2027-01-06 09:00
 * (34d 0h left)"), "(overdue 2h 5m)" when it is past. Returns false (BUF
 * holding the example) when TEXT is empty or not a deadline (yet); the
 * deadline goes in *DEADLINE when not NULL.
 */
bool	deadline_preview(const char *text, int64_t now, int64_t *deadline,
	    char *buf, size_t len);

#endif
