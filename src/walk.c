/* walk.c - listing the files below a folder from an untrusted source, so
 * that a symbolic link loop or a FIFO can neither stall nor flood the run:
 * the one walk of --rules folders and `rules check --corpus`. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buildsleuth/util.h"
#include "buildsleuth/walk.h"

#define WALK_MAX_DEPTH 32

struct walk {
	struct {
		dev_t dev;
		ino_t ino;
		char *path;
	} *dirs;        /* every folder read so far */
	size_t dirs_nr, dirs_alloc;
	const char *what;
	bool (*want)(const char *name);
	struct string_list *files;
	struct causes *causes;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the wanted files below dir (st: its stat) into w->files, in name
 * order; problems into w->causes. */
static void walk_dir(struct walk *w, const char *dir, const struct stat *st, int depth)
{
	struct string_list names = { 0 };
	DIR *d;
	struct dirent *de;
	size_t i;

	for (i = 0; i < w->dirs_nr; i++) {
		if (w->dirs[i].dev == st->st_dev && w->dirs[i].ino == st->st_ino) {
			causes_add(w->causes, "cannot read %s '%s': it is '%s' again (a "
				   "symbolic link loop or a second link to it)", w->what, dir,
				   w->dirs[i].path);
			return;
		}
	}
	ALLOC_GROW(w->dirs, w->dirs_nr + 1, w->dirs_alloc);
	w->dirs[w->dirs_nr].dev = st->st_dev;
	w->dirs[w->dirs_nr].ino = st->st_ino;
	w->dirs[w->dirs_nr].path = xstrdup(dir);
	w->dirs_nr++;
	if (depth > WALK_MAX_DEPTH) {
		causes_add(w->causes, "%s: folders nested too deep", dir);
		return;
	}
	d = opendir(dir);
	if (!d) {
		causes_add(w->causes, "cannot open %s '%s': %s", w->what, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			string_list_append(&names, de->d_name);
	closedir(d);
	if (names.nr)
		qsort(names.items, names.nr, sizeof(char *), cmp_str);
	for (i = 0; i < names.nr; i++) {
		const char *name = names.items[i];
		char *path = xstrfmt("%s/%s", dir, name);
		struct stat sub;

		/* stat never blocks; opening is the reader's business */
		if (stat(path, &sub))
			causes_add(w->causes, "cannot read '%s': %s", path, strerror(errno));
		else if (S_ISDIR(sub.st_mode))
			walk_dir(w, path, &sub, depth + 1);
		else if (w->want(name))
			string_list_append(w->files, path);
		free(path);
	}
	string_list_release(&names);
}

enum walk_result walk_files(const char *dir, const char *what,
			    bool (*want)(const char *name), struct string_list *files,
			    struct causes *causes)
{
	struct walk w = { 0 };
	size_t before = causes->nr, first = files->nr, i;
	struct stat st;

	if (stat(dir, &st)) {
		causes_add(causes, "cannot open %s '%s': %s", what, dir, strerror(errno));
		return WALK_NO_FOLDER;
	}
	if (!S_ISDIR(st.st_mode)) {
		causes_add(causes, "%s '%s': not a folder", what, dir);
		return WALK_NO_FOLDER;
	}
	w.what = what;
	w.want = want;
	w.files = files;
	w.causes = causes;
	walk_dir(&w, dir, &st, 0);
	for (i = 0; i < w.dirs_nr; i++)
		free(w.dirs[i].path);
	free(w.dirs);
	if (files->nr > first)
		qsort(files->items + first, files->nr - first, sizeof(char *), cmp_str);
	return causes->nr > before ? WALK_INCOMPLETE : WALK_OK;
}
