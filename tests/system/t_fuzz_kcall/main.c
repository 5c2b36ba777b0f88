/* Role dispatch: see fuzz.h. */
#include "fuzz.h"

int main(void)
{
	struct info_proc me;

	if (sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) != sizeof(me))
		return 1;
	if (!strcmp(me.name, "fuzzkc"))
		return fuzz_kcall_main(me.endpoint);
	if (!strcmp(me.name, "fuzzipc"))
		return fuzz_ipc_main(me.endpoint);
	return supervisor_main(me.endpoint);
}
