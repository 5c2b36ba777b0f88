/* The character driver framework's loop (chardriver.h). */
#include "chardriver.h"

static struct contract_monitor mon;
static endpoint_t last_client;

int chardriver_copy(const struct chardriver_req *r, int to_user, uint64_t off,
    void *buf, size_t len)
{
	if (to_user)
		return (int)sys_vcopy(SELF, (uint64_t)buf, r->ep, r->addr + off, len);
	return (int)sys_vcopy(r->ep, r->addr + off, SELF, (uint64_t)buf, len);
}

void chardriver_wake(endpoint_t vfs)
{
	if (vfs || (vfs = last_client))
		ipc_notify(vfs);	/* never blocks; a refusal is logged by the kernel */
}

static void answer(endpoint_t client, int64_t v)
{
	if (v < 0)
		chardev_reply_Fail(&mon, client, (int32_t)v);
	else
		chardev_reply_Ok(&mon, client, v);
}

static void dispatch(const struct chardriver *cd, const struct chardev_msg *m)
{
	struct chardriver_req r = { 0 };
	int32_t pgrp, signo;
	int e;

	last_client = m->peer;
	switch (m->type) {
	case CHARDEV_READ:
		r = (struct chardriver_req){ m->u.Read.ep, m->u.Read.addr, m->u.Read.len,
			m->u.Read.minor, 0, 0, m->peer };
		answer(m->peer, cd->read ? cd->read(&r) : -EINVAL);
		break;
	case CHARDEV_WRITE:
		r = (struct chardriver_req){ m->u.Write.ep, m->u.Write.addr, m->u.Write.len,
			m->u.Write.minor, 0, 0, m->peer };
		answer(m->peer, cd->write ? cd->write(&r) : -EINVAL);
		break;
	case CHARDEV_IOCTL:
		r = (struct chardriver_req){ m->u.Ioctl.ep, m->u.Ioctl.arg, 0,
			m->u.Ioctl.minor, m->u.Ioctl.request, m->u.Ioctl.pgrp, m->peer };
		answer(m->peer, cd->ioctl ? cd->ioctl(&r) : -ENOTTY);
		break;
	case CHARDEV_POLL:
		answer(m->peer, cd->poll ? cd->poll(m->u.Poll.minor, m->u.Poll.events)
		    : (int64_t)(m->u.Poll.events & 5));
		break;
	case CHARDEV_TAKESIGNAL:
		e = cd->take_signal ? cd->take_signal(&pgrp, &signo) : -EAGAIN;
		if (e < 0)
			chardev_reply_Fail(&mon, m->peer, e);
		else
			chardev_reply_Signal(&mon, m->peer, pgrp, signo);
		break;
	case CHARDEV_TRACK:
		answer(m->peer, cd->track ? cd->track(m->peer, m->u.Track.rec, m->u.Track.minor)
		    : -ENOSYS);
		break;
	}
}

void chardriver_task(const struct chardriver *cd)
{
	struct chardev_msg cm;
	message_t m;
	int r;

	driver_init_log();
	chardev_monitor_init(&mon, CONTRACT_SERVER);
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("chardriver: receive failed: %d\n", r);
			continue;
		}
		if (m.type != MSG_NOTIFY) {
			if (chardev_accept(&mon, &m, &cm) == 0)
				dispatch(cd, &cm);
		} else if (m.source == HARDWARE) {
			if (cd->intr)
				cd->intr(m.u.q[0]);
		} else if (m.source == CLOCK) {
			if (cd->alarm)
				cd->alarm(m.u.q[0]);
		} else if (!driver_heartbeat(&m) && cd->notify) {
			cd->notify(&m);
		}
	}
}
