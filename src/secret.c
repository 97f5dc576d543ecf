/* secret.c - no core dumps, no ptrace by peers: what a command holding the
 * API key or the GitHub token does first. */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buildsleuth/secret.h"

void secret_protect_process(void)
{
	struct rlimit none = { 0, 0 };

	/* A core of a run that aborted held half a dozen copies of the key:
	 * the environment, ours, libcurl's option string and request buffer,
	 * the TLS write buffers. Wiping ours when done cannot reach the others,
	 * nor help while the key is in use: the dump itself has to go. */
	(void)setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}
