/*
 * Kernel calls of the memory owner and process manager: fork (running and
 * stopped), map/unmap/protect, unmapping a whole address space, starting a
 * stopped child with setregs, stopping a child blocked in IPC (its call
 * returns EINTR), and moving a child to the user privilege set.
 */
#include "../test.h"

#define AREA	0x20000000ul

static volatile int which;	/* which child behaviour, copied by fork */
static volatile int shared_value = 5;

static int child_main(void)
{
	message_t m;

	switch (which) {
	case 1:		/* independent copy */
		shared_value = 77;
		return shared_value + 1;
	case 2:		/* write to a read-only page */
		*(volatile int *)AREA = 1;
		return 0;
	case 3:		/* block in receive, get stopped, resume */
		return ipc_receive(ANY, &m) == -EINTR ? 42 : 1;
	case 6: {	/* notify the parent, whom no ipc line names, then wait */
		struct info_proc me;
		sys_getinfo(INFO_SELF, 0, &me, sizeof(me));
		if (ipc_notify(me.parent) != 0)
			return 22;
		ipc_receive(me.parent, &m);
		return 21;
	}
	case 5:		/* DMA memory is not inherited */
		return *(volatile int *)(AREA + 0x100000);
	case 4:		/* after moving to the user privileges */
		return sys_print("", 0) == -EPERM ? 11 : 12;
	}
	return 99;
}

static long fork_child(int what, int flags)
{
	long c;

	which = what;
	c = kcall(KC_FORK, SELF, flags, 0, 0, 0, 0);
	if (c == 0)
		sys_exit(SELF, child_main());
	return c;
}

static long wait_report(endpoint_t who, struct fault_report *r)
{
	if (wait_child_event(r) != 0 || r->endpoint != who)
		return -1;
	return 0;
}

static void start_stopped(endpoint_t c)
{
	struct user_regs u;

	sys_getregs(c, &u);
	sys_setregs(c, &u);
}

int main(void)
{
	struct fault_report r;
	struct user_regs u;
	long c;

	CHECK_EQ("kcall_map_fresh_memory", sys_map(SELF, AREA, 8192, PROT_R | PROT_W), 0);
	check("kcall_map_memory_is_zeroed", ((volatile uint64_t *)AREA)[0] == 0 &&
	    ((volatile uint64_t *)AREA)[1023] == 0, 0);
	*(volatile int *)AREA = 3;
	CHECK_EQ("kcall_map_over_mapping_eexist", sys_map(SELF, AREA, 4096, PROT_R), -EEXIST);
	CHECK_EQ("kcall_map_writable_executable_refused", sys_map(SELF, AREA + 65536, 4096, PROT_W | PROT_X), -EPERM);
	CHECK_EQ("kcall_map_unaligned_einval", sys_map(SELF, AREA + 65536 + 1, 4096, PROT_R), -EINVAL);
	CHECK_EQ("kcall_map_kernel_half_einval", sys_map(SELF, 0xFFFF800000000000ul, 4096, PROT_R), -EINVAL);
	CHECK_EQ("kcall_map_last_user_page_refused", sys_map(SELF, USER_TOP - 4096, 4096, PROT_R), -EINVAL);
	CHECK_EQ("kcall_protect_unmapped_enomem", sys_protect(SELF, AREA + 65536, 4096, PROT_R), -ENOMEM);
	CHECK_EQ("kcall_fork_bad_flags_einval", kcall(KC_FORK, SELF, 8, 0, 0, 0, 0), -EINVAL);
	CHECK_EQ("kcall_fork_empty_needs_stopped", kcall(KC_FORK, SELF, FORK_EMPTY, 0, 0, 0, 0), -EINVAL);
	c = kcall(KC_FORK, SELF, FORK_EMPTY | FORK_STOPPED, 0, 0, 0, 0);
	check("kcall_fork_empty", c > 0, c);
	CHECK_EQ("kcall_fork_empty_has_no_memory", sys_vcopy((endpoint_t)c, 0x400000, SELF, AREA, 8), -EFAULT);
	sys_exit((endpoint_t)c, 0);

	c = fork_child(1, 0);
	check("kcall_fork_returns_child_endpoint", c > 0, c);
	CHECK_EQ("kcall_fork_child_exits", wait_report((endpoint_t)c, &r), 0);
	CHECK_EQ("kcall_fork_child_has_own_copy", r.error, 78);
	CHECK_EQ("kcall_fork_parent_copy_untouched", shared_value, 5);
	CHECK_EQ("kcall_fork_copies_mapped_memory", *(volatile int *)AREA, 3);

	CHECK_EQ("kcall_protect_read_only", sys_protect(SELF, AREA, 4096, PROT_R), 0);
	c = fork_child(2, 0);
	CHECK_EQ("kcall_protect_child_write_faults", wait_report((endpoint_t)c, &r), 0);
	check("kcall_protect_fault_is_write_to_present_page", r.vector == 14 &&
	    (r.error & 3) == 3 && r.addr == AREA, (long)r.error);
	CHECK_EQ("kcall_exit_faulted_child", sys_exit((endpoint_t)c, 0), 0);
	CHECK_EQ("kcall_unmap", sys_unmap(SELF, AREA, 8192), 0);
	CHECK_EQ("kcall_map_after_unmap", sys_map(SELF, AREA, 4096, PROT_R | PROT_W), 0);
	check("kcall_remapped_memory_is_fresh", *(volatile int *)AREA == 0, *(volatile int *)AREA);

	{ message_t mm; sys_alarm(3); ipc_receive(CLOCK, &mm); }	/* the clock has ticked */
	c = fork_child(1, FORK_STOPPED);
	CHECK_EQ("kcall_unmap_whole_child", sys_unmap((endpoint_t)c, 0, USER_TOP), 0);
	sys_getregs((endpoint_t)c, &u);
	u.rip = 0x400000;
	CHECK_EQ("kcall_setregs_starts_stopped_child", sys_setregs((endpoint_t)c, &u), 0);
	CHECK_EQ("kcall_cleared_child_faults_at_entry", wait_report((endpoint_t)c, &r), 0);
	check("kcall_cleared_child_has_no_code", r.vector == 14 && r.addr == 0x400000, (long)r.addr);
	struct info_kernel ik;
	sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik));
	check("kcall_fault_report_has_tick", r.tick >= 3 && r.tick <= ik.ticks, (long)r.tick);
	sys_exit((endpoint_t)c, 0);
	u.rip = 0xFFFF800000000000ul;
	CHECK_EQ("kcall_setregs_kernel_rip_refused", sys_setregs((endpoint_t)c, &u), -EDEADSRCDST);

	c = fork_child(3, 0);
	sys_alarm(3);				/* let the child block in receive */
	{ message_t m; ipc_receive(CLOCK, &m); }
	sys_getregs((endpoint_t)c, &u);
	CHECK_EQ("kcall_setregs_blocked_child_ebusy", sys_setregs((endpoint_t)c, &u), -EBUSY);
	CHECK_EQ("kcall_stop_blocked_child", sys_stop((endpoint_t)c), 0);
	sys_getregs((endpoint_t)c, &u);
	CHECK_EQ("kcall_stop_cancels_call_with_eintr", (long)u.rax, -EINTR);
	CHECK_EQ("kcall_setregs_resumes_stopped_child", sys_setregs((endpoint_t)c, &u), 0);
	CHECK_EQ("kcall_resumed_child_exits", wait_report((endpoint_t)c, &r), 0);
	CHECK_EQ("kcall_resumed_child_saw_eintr", r.error, 42);

	c = fork_child(4, FORK_STOPPED);
	CHECK_EQ("kcall_setpriv_to_user", sys_setpriv((endpoint_t)c, PRIV_USER, 0), 0);
	start_stopped((endpoint_t)c);
	CHECK_EQ("kcall_setpriv_child_exits", wait_report((endpoint_t)c, &r), 0);
	CHECK_EQ("kcall_setpriv_child_lost_kernel_calls", r.error, 11);
	CHECK_EQ("kcall_setpriv_bad_id_einval", sys_setpriv(SELF, NR_PRIVS, 0), -EINVAL);
	{
		struct priv_spec all;
		struct info_proc me, ci;
		memset(&all, 0xFF, sizeof(all));
		all.priority = 1, all.quantum = 5, all.nports = all.nmem = all.npci = 0;
		sys_getinfo(INFO_SELF, 0, &me, sizeof(me));
		CHECK_EQ("kcall_setpriv_raise_self_refused", sys_setpriv(SELF, 40, &all), -EPERM);
		CHECK_EQ("kcall_setpriv_reclaim_own_service", sys_setpriv(SELF, (int)me.priv_id, 0), 0);
		c = fork_child(1, FORK_STOPPED);
		CHECK_EQ("kcall_setpriv_redefine_user_refused", sys_setpriv((endpoint_t)c, PRIV_USER, &all), -EPERM);
		CHECK_EQ("kcall_setpriv_take_live_service_refused", sys_setpriv((endpoint_t)c, (int)me.priv_id, 0), -EPERM);
		CHECK_EQ("kcall_setname_child", sys_setname((endpoint_t)c, "ab"), 0);
		sys_getinfo(INFO_PROC, ENDPOINT_SLOT(c), &ci, sizeof(ci));
		check("kcall_setname_rest_zeroed", !strcmp(ci.name, "ab") && ci.name[3] == 0 && ci.name[15] == 0, ci.name[3]);
		CHECK_EQ("kcall_name_lookup_finds_only_services", lookup_endpoint("ab"), -ESRCH);
		sys_exit((endpoint_t)c, 0);
	}

	/* DMA memory: contiguous, with its physical address known. */
	long pa = kcall(KC_DMA, DMA_ALLOC, AREA + 0x100000, 8192, 0, 0, 0);
	check("kcall_dma_alloc_gives_physical_address", pa >= (16l << 20) && !(pa & 4095), pa);
	CHECK_EQ("kcall_dma_phys_of_second_page_contiguous", kcall(KC_DMA, DMA_PHYS, AREA + 0x100000 + 4096 + 12, 0, 0, 0, 0), pa + 4096 + 12);
	*(volatile int *)(AREA + 0x100000) = 7;
	CHECK_EQ("kcall_dma_memory_usable", *(volatile int *)(AREA + 0x100000), 7);
	CHECK_EQ("kcall_dma_phys_of_unmapped_efault", kcall(KC_DMA, DMA_PHYS, AREA + 0x300000, 0, 0, 0, 0), -EFAULT);
	CHECK_EQ("kcall_dma_free_of_normal_memory_refused", kcall(KC_DMA, DMA_FREE, AREA, 4096, 0, 0, 0), -EINVAL);
	CHECK_EQ("kcall_dma_free", kcall(KC_DMA, DMA_FREE, AREA + 0x100000, 8192, 0, 0, 0), 0);
	CHECK_EQ("kcall_dma_free_twice_refused", kcall(KC_DMA, DMA_FREE, AREA + 0x100000, 8192, 0, 0, 0), -EINVAL);
	CHECK_EQ("kcall_dma_alloc_larger_than_pool_refused", kcall(KC_DMA, DMA_ALLOC, AREA + 0x100000, 8ul << 20, 0, 0, 0), -EINVAL);
	CHECK_EQ("kcall_dma_realloc_reuses_freed_run", kcall(KC_DMA, DMA_ALLOC, AREA + 0x100000, 4096, 0, 0, 0), pa);
	c = fork_child(6, 0);
	{
		message_t nm;
		CHECK_EQ("ipc_child_may_notify_parent_without_mask", ipc_receive((endpoint_t)c, &nm), 0);
		check("ipc_parent_notification_arrives", nm.type == MSG_NOTIFY && nm.source == c, nm.type);
		sys_exit((endpoint_t)c, 0);
	}
	c = fork_child(1, FORK_STOPPED);
	CHECK_EQ("ipc_notify_child_without_mask_refused", ipc_notify((endpoint_t)c), -EPERM);
	sys_exit((endpoint_t)c, 0);
	c = fork_child(5, 0);
	CHECK_EQ("kcall_dma_child_event", wait_report((endpoint_t)c, &r), 0);
	check("kcall_dma_memory_not_inherited_by_fork", r.vector == 14 && r.addr == AREA + 0x100000, (long)r.vector);
	sys_exit((endpoint_t)c, 0);
	tests_finish();
}
