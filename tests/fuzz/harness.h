/* harness.h - the bodies of the four fuzz targets and the properties they
 * check, shared by the libFuzzer entry points (tests/fuzz/fuzz_*.c) and the
 * replay of corpora and regressions in `make check`
 * (tests/unit/test_fuzz_regressions.c).
 * Ownership: inputs are borrowed; a returned message is a static buffer,
 * valid until the next call; harness_release frees the cached rule sets. */
#ifndef BUILDSLEUTH_FUZZ_HARNESS_H
#define BUILDSLEUTH_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each target runs one input through the library and checks the output.
 * Returns NULL when every property holds, else a one-line description of the
 * property broken (the fuzz entry points abort on it). Memory errors and
 * undefined behaviour are left to the sanitizers.
 */

/* Bytes as a saved log (plain text or API JSON, told apart by content):
 * reader, normaliser, phase tracker, matcher with the built-in rules,
 * ranking, and all four reports. */
const char *harness_log(const uint8_t *data, size_t size);

/* Bytes as an API response: json_parse_buffer, then source_add_json for an
 * object, or source_add_entries for an array (a page's "logs"), then the
 * analysis and all four reports. */
const char *harness_json(const uint8_t *data, size_t size);

/* Bytes as a rule file: ruleset_load_buffer; a loaded rule set then runs
 * its own examples and a log made of them, and all four reports. */
const char *harness_rules(const uint8_t *data, size_t size);

/* data[0] picks options (bit 0: a build record whose errorMessage is the
 * first line; bits 1-3: --top), the rest is a log analysed with the built-in
 * rules plus rules that quote log text into summaries and hints; the
 * Markdown report must pass check_markdown. */
const char *harness_markdown(const uint8_t *data, size_t size);

/*
 * The Markdown safety properties of DESIGN.md: the marker first; at most
 * MARKDOWN_MAX_BYTES; valid UTF-8 without control bytes; every code fence
 * closed by its own closer with only quoted log lines inside; outside
 * fences every backtick run closed on its line, no '<' but our own tags, no
 * '@' before a letter or digit outside code, table rows with four cells;
 * <details> balanced; the footer last. NULL when all hold.
 */
const char *check_markdown(const char *md, size_t len);

/* Terminal text: valid UTF-8, no control characters (C0, DEL, C1) but '\n'
 * and '\t'. */
const char *check_text(const char *s, size_t len);

/* Each line of s ('\n'-terminated) when lines, else all of s, is one
 * strictly valid JSON value (RFC 8259, valid UTF-8). */
const char *check_json(const char *s, size_t len, int lines);

/* Free the rule sets loaded on first use. */
void harness_release(void);

#endif
