/*
 * lib/driver's block framework compiled into this driver: the Makefile's
 * program rule links only this directory's sources (and libsys), so the
 * framework comes in as part of this translation unit set.
 */
#include "../../lib/driver/blockdriver.c"
