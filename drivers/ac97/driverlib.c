/* lib/driver's character framework compiled into this driver. */
#include "../../lib/driver/chardriver.c"
