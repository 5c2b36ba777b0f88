/*
 * Fault isolation: each kind of user-mode fault stops only the offender,
 * the parent gets a report naming the exception, and the rest of the
 * system (echo, and this supervisor) keeps running.
 */
#include "../test.h"

#define PF_WRITE	0x2
#define PF_PRESENT	0x1
#define PF_USER		0x4
#define PF_FETCH	0x10

struct expect {
	const char *name;
	const char *test;
	uint32_t vector;
	uint64_t err_mask, err_bits;	/* (error & mask) == bits */
	uint64_t addr;			/* page-fault address, or 0 for any */
};

static const struct expect expects[] = {
	{ "f_pf", "fault_page_fault_stops_offender", 14, PF_PRESENT | PF_USER | PF_WRITE, PF_USER | PF_WRITE, 0x10 },
	{ "f_gp", "fault_general_protection_stops_offender", 13, 0, 0, 0 },
	{ "f_de", "fault_divide_error_stops_offender", 0, 0, 0, 0 },
	{ "f_ud", "fault_invalid_opcode_stops_offender", 6, 0, 0, 0 },
	{ "f_nx", "fault_execute_data_stops_offender", 14, PF_FETCH | PF_PRESENT, PF_FETCH | PF_PRESENT, 0 },
	{ "f_wcode", "fault_write_code_stops_offender", 14, PF_WRITE | PF_PRESENT, PF_WRITE | PF_PRESENT, 0 },
	{ "f_kread", "fault_read_kernel_memory_stops_offender", 14, PF_PRESENT | PF_USER, PF_PRESENT | PF_USER, 0xFFFF800000100000ul },
	{ "f_priv", "fault_privileged_instruction_stops_offender", 13, 0, 0, 0 },
	{ "f_io", "fault_port_access_without_grant_stops_offender", 13, 0, 0, 0 },
	{ "f_std", "fault_with_direction_flag_set_reported_intact", 6, 0, 0, 0 },
};
#define NEXPECT (int)(sizeof(expects) / sizeof(expects[0]))

int main(void)
{
	endpoint_t eps[NEXPECT], echo = lookup_endpoint("echo");
	int seen[NEXPECT], i, n, exit_errors = 0;
	struct fault_report r;
	message_t m;

	for (i = 0; i < NEXPECT; i++) {
		eps[i] = lookup_endpoint(expects[i].name);
		seen[i] = 0;
	}
	/* Guard bytes around the buffer the kernel writes notifications into:
	 * a kernel copy running backwards (DF left set by a faulting process)
	 * would spill before it. */
	static struct { uint8_t before[64]; message_t m; uint8_t after[64]; } box;
	int guard_bad = 0, note_bad = 0;
	memset(&box, 0x5A, sizeof(box));
	for (n = 0; n < NEXPECT; n++) {
		while (sys_getevent(&r) != 1) {
			if (ipc_receive(SYSTEM, &box.m) != 0 || box.m.source != SYSTEM ||
			    box.m.type != MSG_NOTIFY)
				note_bad++;
			for (i = 0; i < 64; i++)
				if (box.before[i] != 0x5A || box.after[i] != 0x5A)
					guard_bad++;
		}
		for (i = 0; i < NEXPECT && eps[i] != r.endpoint; i++)
			;
		if (i == NEXPECT) {
			printf("unexpected report from %d\n", r.endpoint);
			continue;
		}
		const struct expect *e = &expects[i];
		seen[i]++;
		check(e->test, r.vector == e->vector && (r.error & e->err_mask) == e->err_bits &&
		    (!e->addr || r.addr == e->addr), (long)r.vector);
		/* The offender is stopped, not gone: its parent decides. */
		struct info_proc ip;
		sys_getinfo(INFO_PROC, ENDPOINT_SLOT(r.endpoint), &ip, sizeof(ip));
		if (!strcmp(e->name, "f_pf"))
			check("fault_offender_stays_stopped_until_parent_acts", ip.flags != 0 && ip.endpoint == r.endpoint, ip.flags);
		if (sys_exit(r.endpoint, 0) != 0)
			exit_errors++;
	}
	for (i = 0; i < NEXPECT; i++)
		if (seen[i] != 1)
			check(expects[i].test, 0, seen[i]);
	CHECK_EQ("fault_parent_ends_offenders", exit_errors, 0);
	CHECK_EQ("fault_notifications_intact", note_bad, 0);
	CHECK_EQ("fault_notification_writes_stay_in_buffer", guard_bad, 0);
	/* The rest of the system still answers. */
	memset(&m, 0, sizeof(m));
	m.u.q[0] = 1;
	CHECK_EQ("fault_bystander_still_serves", ipc_sendrec(echo, &m), 0);
	CHECK_EQ("fault_bystander_reply", m.u.q[0], 2);
	CHECK_EQ("fault_ended_offender_endpoint_dead", ipc_sendrec(eps[0], &m), -EDEADSRCDST);
	CHECK_EQ("fault_no_more_reports", sys_getevent(&r), 0);
	tests_finish();
}
