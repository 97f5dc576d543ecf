/* version.h - the release number, shown by --version and in reports. */
#ifndef BUILDSLEUTH_VERSION_H
#define BUILDSLEUTH_VERSION_H

#define BUILDSLEUTH_VERSION "0.1.0"

#endif
