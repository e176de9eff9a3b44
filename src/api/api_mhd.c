/*
 * api_mhd.c: libmicrohttpd, loaded when watchdog --serve starts. Linked
 * in, it and GnuTLS with the nine libraries they bring (and GnuTLS's
 * start-up, which reads the system's crypto configuration) cost every
 * command several milliseconds before main(), though only --serve uses
 * them: an idle --check-sla took three times as long. The soname is
 * looked up in the system's library path only (the loader ignores
 * LD_LIBRARY_PATH in a setgid process), as for libcurl (smtp.c).
 */
#include <dlfcn.h>
#include <stdbool.h>

#include "api_int.h"

#define API_LIBMHD	"libmicrohttpd.so.12"

struct api_mhd	mhd;

/* Load libmicrohttpd; see api_int.h. */
enum wd_status
api_mhd_load(char **cause)
{
	static bool	 loaded;
	void		*h;

	if (loaded)
		return WD_OK;
	if ((h = dlopen(API_LIBMHD, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return status_set(cause, WD_EFAIL, "cannot load %s (Debian's "
		    "package libmicrohttpd12): %s", API_LIBMHD, dlerror());
	if (lib_sym(h, "MHD_start_daemon", &mhd.start_daemon) != 0 ||
	    lib_sym(h, "MHD_quiesce_daemon", &mhd.quiesce_daemon) != 0 ||
	    lib_sym(h, "MHD_stop_daemon", &mhd.stop_daemon) != 0 ||
	    lib_sym(h, "MHD_lookup_connection_value",
	    &mhd.lookup_connection_value) != 0 ||
	    lib_sym(h, "MHD_get_connection_info",
	    &mhd.get_connection_info) != 0 ||
	    lib_sym(h, "MHD_create_response_from_buffer",
	    &mhd.create_response_from_buffer) != 0 ||
	    lib_sym(h, "MHD_add_response_header",
	    &mhd.add_response_header) != 0 ||
	    lib_sym(h, "MHD_queue_response", &mhd.queue_response) != 0 ||
	    lib_sym(h, "MHD_destroy_response", &mhd.destroy_response) != 0) {
		dlclose(h);
		return status_set(cause, WD_EFAIL, "%s lacks a function this "
		    "program calls", API_LIBMHD);
	}
	loaded = true;		/* and H stays loaded */
	return WD_OK;
}
