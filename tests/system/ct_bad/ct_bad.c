/*
 * The contract breaker of tests/system/contract.image (see t_contract):
 * once its supervisor notifies it, it sends the memory driver (blockdev)
 * and DS (ds) messages that break their contracts: a message the state
 * does not allow, a `requires` that is false, a type the contract does
 * not have, a message only the server may send. It sends them bare (its
 * own monitor would refuse them before they left), each built from the
 * contract's generated struct so that only the broken part is wrong.
 * Every one must come back as a rejection notice (-EPROTO); its correct
 * messages afterwards must still be served. Exit status: checks failed.
 */
#include "../test.h"
#include <blockdev.h>
#include <ds.h>

static uint8_t buf[512];
static struct grant grants[1];

/* Sends m as it is and waits: the server's rejection error, or 0 and the
 * answer in m. */
static int raw_call(endpoint_t ep, const struct contract_spec *spec, message_t *m)
{
	int e = ipc_sendrec(ep, m);

	if (e < 0)
		return e;
	e = contract_rejection_error(spec, m);
	return e == 1 ? 0 : e;
}

static void blockdev_violations(endpoint_t mem)
{
	struct blockdev_Read rd = { .offset = 0, .buf = 0, .length = 100, .minor = 0 };
	struct blockdev_msg d;
	message_t m;
	size_t i;
	int e;

	memset(&m, 0, sizeof(m));
	blockdev_encode_Read(&m, 65536, 0, 512, 0);
	CHECK_EQ("ct_bad_blockdev_read_before_open_refused", raw_call(mem, &blockdev_spec, &m),
	    -CONTRACT_EPROTO);
	memset(&m, 0, sizeof(m));
	m.type = BLOCKDEV_BASE + 99;
	CHECK_EQ("ct_bad_blockdev_unknown_type_refused", raw_call(mem, &blockdev_spec, &m),
	    -CONTRACT_EPROTO);
	memset(&m, 0, sizeof(m));
	blockdev_encode_Open(&m, 0, 1);
	e = raw_call(mem, &blockdev_spec, &m);
	CHECK_EQ("ct_bad_blockdev_correct_open_served", e < 0 ? e : m.type, BLOCKDEV_OPENED);
	memset(&m, 0, sizeof(m));
	m.type = BLOCKDEV_READ;		/* requires length % 512 == 0: false */
	memcpy(m.u.b, &rd, sizeof(rd));
	CHECK_EQ("ct_bad_blockdev_read_requires_false_refused", raw_call(mem, &blockdev_spec, &m),
	    -CONTRACT_EPROTO);
	memset(&m, 0, sizeof(m));
	blockdev_encode_Done(&m, 0);	/* the server's message */
	CHECK_EQ("ct_bad_blockdev_server_message_refused", raw_call(mem, &blockdev_spec, &m),
	    -CONTRACT_EPROTO);

	/* Refused, not banned: a correct request is served (the block the
	 * supervisor wrote), and the conversation closes normally. */
	memset(&m, 0, sizeof(m));
	blockdev_encode_Read(&m, 65536, 0, sizeof(buf), 0);
	e = raw_call(mem, &blockdev_spec, &m);
	check("ct_bad_blockdev_correct_read_served",
	    e == 0 && blockdev_decode(&m, &d) == 0 && d.type == BLOCKDEV_DONE &&
	    d.u.Done.status == sizeof(buf), e ? e : m.type);
	for (i = 0; i < sizeof(buf) && buf[i] == (uint8_t)(i * 13 + 5); i++)
		;
	CHECK_EQ("ct_bad_blockdev_reads_the_supervisors_block", i, sizeof(buf));
	memset(&m, 0, sizeof(m));
	blockdev_encode_Close(&m, 0);
	e = raw_call(mem, &blockdev_spec, &m);
	CHECK_EQ("ct_bad_blockdev_close_served", e < 0 ? e : m.type, BLOCKDEV_DONE);
}

static void ds_violations(endpoint_t ds)
{
	struct ds_Publish pub = { .value = 7, .owner = 0, .kind = 3 };
	struct ds_msg d;
	uint8_t key[32];
	message_t m;
	int e;

	memset(key, 0, sizeof(key));
	memcpy(key, "ct.bad", 6);
	memcpy(pub.key, key, sizeof(key));
	memset(&m, 0, sizeof(m));
	m.type = DS_PUBLISH;		/* requires kind == 1 || kind == 2: false */
	memcpy(m.u.b, &pub, sizeof(pub));
	CHECK_EQ("ct_bad_ds_publish_requires_false_refused", raw_call(ds, &ds_spec, &m),
	    -CONTRACT_EPROTO);
	memset(&m, 0, sizeof(m));
	ds_encode_Found(&m, 1, 0, 1);	/* the server's message */
	CHECK_EQ("ct_bad_ds_server_message_refused", raw_call(ds, &ds_spec, &m), -CONTRACT_EPROTO);
	memset(&m, 0, sizeof(m));
	ds_encode_Lookup(&m, key);	/* nothing was stored under it */
	e = raw_call(ds, &ds_spec, &m);
	check("ct_bad_ds_refused_publish_stored_nothing",
	    e == 0 && ds_decode(&m, &d) == 0 && d.type == DS_FAIL && d.u.Fail.error == -ENOENT,
	    e ? e : m.type);
	memcpy(key, "ct.good", 7);
	memset(&m, 0, sizeof(m));
	ds_encode_Lookup(&m, key);
	e = raw_call(ds, &ds_spec, &m);
	check("ct_bad_ds_correct_lookup_served",
	    e == 0 && ds_decode(&m, &d) == 0 && d.type == DS_FOUND && d.u.Found.value == 42,
	    e ? e : m.type);
}

int main(endpoint_t self)
{
	endpoint_t mem = lookup_endpoint("memory"), ds = lookup_endpoint("ds");
	endpoint_t sup = lookup_endpoint("test");
	message_t m;

	printf("ct: contract breaker endpoint %d\n", self);
	grants[0] = (struct grant){ GRANT_VALID | GRANT_WRITE, mem, (uint64_t)buf, sizeof(buf), 0 };
	CHECK_EQ("ct_bad_setgrant", sys_setgrant(grants, 1), 0);
	/* The supervisor's go: its own conversations are under way. */
	while (ipc_receive(ANY, &m) == 0 && !(m.type == MSG_NOTIFY && m.source == sup))
		;
	blockdev_violations(mem);
	ds_violations(ds);
	return tests_failed;
}
