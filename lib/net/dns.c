#include "net_priv.h"
