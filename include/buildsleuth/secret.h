/* secret.h - keeping the Pipecat API key and the GitHub token out of core
 * dumps and out of other processes' reach.
 * Ownership: nothing is allocated or retained. */
#ifndef BUILDSLEUTH_SECRET_H
#define BUILDSLEUTH_SECRET_H

/*
 * Turn core dumps off for this process, before it reads a key or a token:
 * the core-file size limit (soft and hard) becomes 0, and on Linux the
 * process becomes non-dumpable (PR_SET_DUMPABLE 0), which also makes its
 * /proc/PID files (mem, environ, maps...) belong to root, so that processes
 * without CAP_SYS_PTRACE cannot read its memory or attach to it. Every copy
 * of the key made afterwards is covered, ours and those libcurl and the TLS
 * library make, which we cannot wipe. Lowering one's own limit and dropping
 * one's own dumpability cannot fail, so nothing is returned. A
 * set-user-ID exec, or setuid() to another user, would reset dumpability:
 * buildsleuth does neither.
 */
void secret_protect_process(void);

#endif
