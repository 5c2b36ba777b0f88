#include "harness.h"
const struct test app_tests[] = { { NULL, NULL } };
