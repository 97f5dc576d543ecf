/* walk.h - the files below a folder that may come from an untrusted pull
 * request (a --rules folder, a `rules check --corpus` folder): recursive, in
 * path order, every folder read once.
 * Ownership: the paths are added to the caller's string_list, which owns
 * them; problems go to the caller's causes. */
#ifndef BUILDSLEUTH_WALK_H
#define BUILDSLEUTH_WALK_H

#include <stdbool.h>

#include "cause.h"
#include "rules.h" /* struct string_list */

enum walk_result {
	WALK_OK = 0,
	WALK_NO_FOLDER,  /* dir itself is missing or not a folder: one cause added */
	WALK_INCOMPLETE, /* something below dir could not be read: causes added,
			  * files holds the rest */
};

/*
 * Add to files the path ("dir/sub/name") of every entry below dir that is
 * not a folder and whose name want() accepts, sorted by path; names that
 * start with '.' are skipped. Each folder is read once, known by device and
 * inode, so a symbolic link back up the tree is reported instead of walked
 * forever; at most 32 levels deep. Entries are only stat()ed, never opened:
 * a FIFO or a device whose name is wanted is listed, and whoever reads the
 * files must refuse it without blocking. what names dir in messages
 * ("rules folder", "corpus folder").
 */
enum walk_result walk_files(const char *dir, const char *what,
			    bool (*want)(const char *name), struct string_list *files,
			    struct causes *causes);

#endif
