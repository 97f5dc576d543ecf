/* curl_lazy.c - libcurl, loaded when a command first needs it.
 *
 * libcurl brings some thirty shared libraries with it (TLS, HTTP/2, SSH,
 * LDAP, Kerberos...), and loading and relocating them costs about 5 ms at
 * every start: as much as reading a 100-line log and its rules. Most runs
 * (analyze, rules) never make a request, so the library is not linked: the
 * functions of libcurl's API the tool calls are defined here with libcurl's
 * own prototypes, and the first call of any of them opens libcurl with
 * dlopen() and forwards to it (git keeps libcurl out of its main binary
 * for the same reason, in git-remote-http). When it cannot be opened,
 * curl_lazy_load() says why and every function fails as libcurl's own do
 * when out of resources.
 *
 * The variadic setters take one argument whose type the option's number
 * gives (long, object pointer, function pointer, curl_off_t), as libcurl's
 * own setopt reads it.
 */
#define CURL_DISABLE_TYPECHECK 1 /* the real names, not the checking macros */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buildsleuth/curl_lazy.h"

/* The shared object of libcurl's ABI 4, every libcurl since 7.16. */
#define LIBCURL_SONAME "libcurl.so.4"

typedef void (*any_fn)(void);

static struct {
	pthread_once_t once;
	const char *why; /* NULL once loaded */
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	time_t (*getdate)(const char *, const time_t *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *);
	CURLUcode (*url_get)(CURLU *, CURLUPart, char **, unsigned int);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLSH *(*share_init)(void);
	CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
	CURLSHcode (*share_cleanup)(CURLSH *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
} lib = { .once = PTHREAD_ONCE_INIT, .why = "not loaded yet" };

/* The address of name in handle into *slot (any function pointer type:
 * dlsym's object pointer is converted as POSIX requires it to work). */
static bool resolve(void *handle, const char *name, void *slot)
{
	void *sym = dlsym(handle, name);
	any_fn fn;

	if (!sym)
		return false;
	*(void **)&fn = sym;
	*(any_fn *)slot = fn;
	return true;
}

static const char *soname = LIBCURL_SONAME;
static char missing[160]; /* what lib.why says when a function is missing */

void curl_lazy_use(const char *name)
{
	static const pthread_once_t again = PTHREAD_ONCE_INIT;

	soname = name;
	lib.once = again; /* a test's next call opens name */
	lib.why = "not loaded yet";
}

static void load(void)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define SYM(field, name) { name, offsetof(__typeof__(lib), field) }
		SYM(easy_setopt, "curl_easy_setopt"),
		SYM(easy_getinfo, "curl_easy_getinfo"),
		SYM(easy_perform, "curl_easy_perform"),
		SYM(easy_init, "curl_easy_init"),
		SYM(easy_cleanup, "curl_easy_cleanup"),
		SYM(easy_strerror, "curl_easy_strerror"),
		SYM(easy_escape, "curl_easy_escape"),
		SYM(free, "curl_free"),
		SYM(global_init, "curl_global_init"),
		SYM(global_cleanup, "curl_global_cleanup"),
		SYM(getdate, "curl_getdate"),
		SYM(slist_append, "curl_slist_append"),
		SYM(slist_free_all, "curl_slist_free_all"),
		SYM(url, "curl_url"),
		SYM(url_cleanup, "curl_url_cleanup"),
		SYM(url_get, "curl_url_get"),
		SYM(url_set, "curl_url_set"),
		SYM(share_init, "curl_share_init"),
		SYM(share_setopt, "curl_share_setopt"),
		SYM(share_cleanup, "curl_share_cleanup"),
		SYM(multi_init, "curl_multi_init"),
		SYM(multi_setopt, "curl_multi_setopt"),
		SYM(multi_add_handle, "curl_multi_add_handle"),
		SYM(multi_remove_handle, "curl_multi_remove_handle"),
		SYM(multi_perform, "curl_multi_perform"),
		SYM(multi_poll, "curl_multi_poll"),
		SYM(multi_info_read, "curl_multi_info_read"),
		SYM(multi_cleanup, "curl_multi_cleanup"),
#undef SYM
	};
	void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!handle) {
		lib.why = dlerror();
		if (!lib.why)
			lib.why = "cannot open the library";
		return;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!resolve(handle, syms[i].name, (char *)&lib + syms[i].offset)) {
			snprintf(missing, sizeof(missing), "%s has no %s: libcurl 7.66 or "
				 "later is needed", soname, syms[i].name);
			lib.why = missing;
			return; /* the handle stays open: some symbols were taken */
		}
	lib.why = NULL;
}

bool curl_lazy_load(const char **why)
{
	pthread_once(&lib.once, load);
	if (why)
		*why = lib.why;
	return !lib.why;
}

static bool loaded(void)
{
	return curl_lazy_load(NULL);
}

CURLcode curl_global_init(long flags)
{
	return loaded() ? lib.global_init(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup(void)
{
	if (loaded())
		lib.global_cleanup();
}

CURL *curl_easy_init(void)
{
	return loaded() ? lib.easy_init() : NULL;
}

void curl_easy_cleanup(CURL *curl)
{
	if (loaded())
		lib.easy_cleanup(curl);
}

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	if (!loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = lib.easy_setopt(curl, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = lib.easy_setopt(curl, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = lib.easy_setopt(curl, option, va_arg(ap, any_fn));
	else if (option < CURLOPTTYPE_BLOB)
		rc = lib.easy_setopt(curl, option, va_arg(ap, curl_off_t));
	else
		rc = lib.easy_setopt(curl, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	if (!loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	rc = lib.easy_getinfo(curl, info, va_arg(ap, void *)); /* always a pointer */
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
	return loaded() ? lib.easy_perform(curl) : CURLE_FAILED_INIT;
}

const char *curl_easy_strerror(CURLcode code)
{
	return loaded() ? lib.easy_strerror(code) : "libcurl could not be loaded";
}

char *curl_easy_escape(CURL *curl, const char *string, int length)
{
	return loaded() ? lib.easy_escape(curl, string, length) : NULL;
}

void curl_free(void *p)
{
	if (loaded())
		lib.free(p);
}

time_t curl_getdate(const char *p, const time_t *unused)
{
	return loaded() ? lib.getdate(p, unused) : (time_t)-1;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data)
{
	return loaded() ? lib.slist_append(list, data) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (loaded())
		lib.slist_free_all(list);
}

CURLU *curl_url(void)
{
	return loaded() ? lib.url() : NULL;
}

void curl_url_cleanup(CURLU *handle)
{
	if (loaded())
		lib.url_cleanup(handle);
}

CURLUcode curl_url_get(CURLU *handle, CURLUPart what, char **part, unsigned int flags)
{
	return loaded() ? lib.url_get(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU *handle, CURLUPart what, const char *part, unsigned int flags)
{
	return loaded() ? lib.url_set(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLSH *curl_share_init(void)
{
	return loaded() ? lib.share_init() : NULL;
}

CURLSHcode curl_share_setopt(CURLSH *share, CURLSHoption option, ...)
{
	va_list ap;
	CURLSHcode rc;

	if (!loaded())
		return CURLSHE_NOMEM;
	va_start(ap, option);
	switch (option) {
	case CURLSHOPT_SHARE:
	case CURLSHOPT_UNSHARE:
		rc = lib.share_setopt(share, option, va_arg(ap, int));
		break;
	case CURLSHOPT_LOCKFUNC:
	case CURLSHOPT_UNLOCKFUNC:
		rc = lib.share_setopt(share, option, va_arg(ap, any_fn));
		break;
	default:
		rc = lib.share_setopt(share, option, va_arg(ap, void *));
		break;
	}
	va_end(ap);
	return rc;
}

CURLSHcode curl_share_cleanup(CURLSH *share)
{
	return loaded() ? lib.share_cleanup(share) : CURLSHE_INVALID;
}

CURLM *curl_multi_init(void)
{
	return loaded() ? lib.multi_init() : NULL;
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	va_list ap;
	CURLMcode rc;

	if (!loaded())
		return CURLM_OUT_OF_MEMORY;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = lib.multi_setopt(multi, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = lib.multi_setopt(multi, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = lib.multi_setopt(multi, option, va_arg(ap, any_fn));
	else
		rc = lib.multi_setopt(multi, option, va_arg(ap, curl_off_t));
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *curl)
{
	return loaded() ? lib.multi_add_handle(multi, curl) : CURLM_OUT_OF_MEMORY;
}

CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *curl)
{
	return loaded() ? lib.multi_remove_handle(multi, curl) : CURLM_OUT_OF_MEMORY;
}

CURLMcode curl_multi_perform(CURLM *multi, int *running)
{
	return loaded() ? lib.multi_perform(multi, running) : CURLM_OUT_OF_MEMORY;
}

CURLMcode curl_multi_poll(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds,
			  int timeout_ms, int *ret)
{
	return loaded() ? lib.multi_poll(multi, extra_fds, extra_nfds, timeout_ms, ret) :
			  CURLM_OUT_OF_MEMORY;
}

CURLMsg *curl_multi_info_read(CURLM *multi, int *msgs_in_queue)
{
	return loaded() ? lib.multi_info_read(multi, msgs_in_queue) : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *multi)
{
	return loaded() ? lib.multi_cleanup(multi) : CURLM_OUT_OF_MEMORY;
}
