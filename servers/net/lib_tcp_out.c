/* lib/net/tcp_out.c compiled into NET (one file each: the library files may share static names). */
#include "netconf.h"
#include "../../lib/net/tcp_out.c"
