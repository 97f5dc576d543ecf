/* audit_suggest.c - `audit --suggest-rules DIR`: a draft rule file per group
 * of unknown and inferred builds, checked against its own examples before
 * it is written, so `rules check` and `rules test` accept it as it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buildsleuth/audit_suggest.h"
#include "buildsleuth/audit_templates.h"
#include "buildsleuth/json_writer.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/util.h"

/* Lines a draft must not match when no other group's line serves: what a
 * build that went well prints. */
static const char *const quiet_lines[] = {
	"#5 DONE 0.1s",
	"Successfully built 4f2a9c1e0b3d",
	"Step 1/2 : FROM python:3.12-slim",
	"[Container] 2026/01/01 00:00:00.000000 Phase complete: BUILD State: SUCCEEDED",
};

/* Whether pattern (compiled as code) matches line as rules see it. */
static bool draft_matches(pcre2_code *code, pcre2_match_data *md, const char *line)
{
	struct strbuf norm = STRBUF_INIT;
	bool ok;

	normalize_line(line, strlen(line), &norm, NULL);
	ok = pcre2_match(code, (PCRE2_SPTR)norm.buf, norm.len, 0, 0, md, NULL) > 0;
	strbuf_release(&norm);
	return ok;
}

static void add_date(struct strbuf *out, const struct audit_time *t)
{
	audit_add_date(out, t, "-");
}

bool audit_suggest_rule(const struct audit *a, size_t gi, struct strbuf *out)
{
	const struct audit_templates *t = a->templates;
	const struct audit_template *g = &t->groups[gi];
	const char *nomatch = NULL;
	struct strbuf text = STRBUF_INIT;
	struct string_list match = { NULL, 0, 0 };
	struct jw w = JW_INIT(out, true);
	pcre2_match_data *md;
	pcre2_code *code;
	PCRE2_SIZE off;
	size_t i;
	int err;

	if (!g->pattern)
		return false;
	code = pcre2_compile((PCRE2_SPTR)g->pattern, PCRE2_ZERO_TERMINATED, RULE_PCRE2_FLAGS,
			     &err, &off, NULL);
	if (!code)
		BUG("draft pattern of %s does not compile at offset %zu", g->id, (size_t)off);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	for (i = 0; i < g->lines_nr; i++)
		if (draft_matches(code, md, g->lines[i]))
			string_list_append(&match, g->lines[i]);
	/* another group's line says best what the draft leaves out */
	for (i = 0; i < t->nr && !nomatch; i++)
		if (i != gi && t->groups[i].lines_nr &&
		    !draft_matches(code, md, t->groups[i].lines[0]))
			nomatch = t->groups[i].lines[0];
	for (i = 0; i < ARRAY_SIZE(quiet_lines) && !nomatch; i++)
		if (!draft_matches(code, md, quiet_lines[i]))
			nomatch = quiet_lines[i];
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	if (!match.nr || !nomatch) {
		string_list_release(&match);
		return false;
	}
	jw_begin(&w, '{');
	jw_open(&w, "rules", '[');
	jw_open(&w, NULL, '{');
	jw_string(&w, "id", g->id);
	jw_string(&w, "title", "TODO: a short name for this failure");
	jw_string(&w, "category", g->category);
	jw_number(&w, "priority", AUDIT_SUGGEST_PRIORITY);
	jw_open(&w, "patterns", '[');
	jw_string(&w, NULL, g->pattern);
	jw_close(&w, ']');
	strbuf_addf(&text, "TODO: say in one sentence what failed. The line reads: %s", g->placeholders);
	jw_string(&w, "summary", text.buf);
	strbuf_reset(&text);
	strbuf_addf(&text, "TODO: say what to change to fix it. Drafted by buildsleuth audit "
		    "--suggest-rules from %zu build%s (%zu unknown, %zu inferred; e.g. %s; seen ",
		    g->builds, g->builds == 1 ? "" : "s", g->unknown, g->inferred, g->example);
	add_date(&text, &g->first);
	strbuf_addstr(&text, " .. ");
	add_date(&text, &g->last);
	strbuf_addf(&text, "). TODO: check the category (%s) and the pattern, then keep this file "
		    "in a --rules folder.", g->category);
	jw_string(&w, "hint", text.buf);
	jw_open(&w, "examples", '{');
	jw_open(&w, "match", '[');
	for (i = 0; i < match.nr; i++)
		jw_string(&w, NULL, match.items[i]);
	jw_close(&w, ']');
	jw_open(&w, "nomatch", '[');
	jw_string(&w, NULL, nomatch);
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_close(&w, '}');
	jw_close(&w, ']');
	jw_close(&w, '}');
	strbuf_addch(out, '\n');
	strbuf_release(&text);
	string_list_release(&match);
	return true;
}

bool audit_suggest_write(const struct audit *a, const char *dir, size_t *written,
			 struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;
	size_t i;
	bool ok = true;

	*written = 0;
	if (mkdir(dir, 0777) && errno != EEXIST) {
		strbuf_addf(err, "cannot write draft rules to '%s': %s", dir, strerror(errno));
		return false;
	}
	for (i = 0; i < a->templates->nr && ok; i++) {
		char *path;

		strbuf_reset(&doc);
		if (!audit_suggest_rule(a, i, &doc))
			continue;
		path = xstrfmt("%s/%s.json", dir, a->templates->groups[i].id);
		ok = write_file_atomic(path, doc.buf, doc.len, err);
		*written += ok;
		free(path);
	}
	strbuf_release(&doc);
	return ok;
}
