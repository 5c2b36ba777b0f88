/*
 * lib/driver's network framework compiled into this driver: the Makefile's
 * program rule links only this directory's sources (and libsys).
 */
#include "../../lib/driver/netdriver.c"
