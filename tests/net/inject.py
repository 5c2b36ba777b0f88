#!/usr/bin/env python3
"""Hostile Ethernet frames for the guest's NIC (tests/run.d/70-net.sh).

usage: inject.py L R SEED [COUNT] [TRIGGER_LOG TRIGGER DONE_FILE]

Sends COUNT raw Ethernet frames, one per UDP datagram, from 127.0.0.1:R to
127.0.0.1:L, where tools/qemu --inject L:R has QEMU's dgram network backend
on the same hub as the e1000 (traffic on this machine only; the guest's
own frames come back to R and are read and dropped). With TRIGGER_LOG, it
waits until that file (the host web server's log) shows TRIGGER, and at the
end writes its summary to DONE_FILE. The barrage, in rounds:

  ping of death     ICMP echo fragments adding up to more than 65535 bytes
  teardrop          overlapping fragments carrying different bytes
  tiny fragments    non-final fragments not a multiple of 8, offset 0 reused
  bad IP headers    version 6 in v4, IHL < 5, IHL beyond the frame, total
                    length above the frame or below the header, bad checksum,
                    TTL 0, options running off the header
  truncated         Ethernet header only, IP header cut short, UDP/TCP/ICMP
                    headers cut short
  bad L4            UDP length beyond the datagram, bad UDP/ICMP/TCP checksum,
                    TCP data offset < 5 or beyond the segment
  TCP options       option length 0, 1, or running past the header; MSS 0;
                    window scale 255; an unterminated option list
  SYN flood         SYNs from spoofed addresses and ports to port 80
  stray TCP         ACK/RST/FIN/URG to port 80 with random sequence numbers
  ARP               truncated, bogus hardware sizes, replies never asked for
  random            frames of random bytes and random lengths, and valid
                    headers followed by random bytes

Everything is addressed to the guest (52:54:00:12:34:56, 10.0.2.15) from
addresses that do not exist, so nothing answers. Prints the number of frames
sent, and how many TCP segments from the guest's port 80 (its SYN-ACKs and
RSTs to the flood and stray segments) came back: proof the barrage reached
NET, not only the wire.
"""
import os, random, socket, struct, sys, time

GUEST_MAC = bytes.fromhex("525400123456")
GUEST_IP = bytes([10, 0, 2, 15])
ATTACK_MAC = bytes.fromhex("02bad0000001")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, etype=0x0800, dst=GUEST_MAC):
    return dst + ATTACK_MAC + struct.pack("!H", etype) + payload


def ip(payload, proto, src, ident=0, frag=0, mf=False, ttl=64, tot=None, ihl=5,
       ver=4, opts=b"", good_sum=True):
    total = tot if tot is not None else 4 * ihl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, total & 0xFFFF, ident,
                    (0x2000 if mf else 0) | (frag & 0x1FFF), ttl, proto, 0, src, GUEST_IP) + opts
    h = h[:4 * ihl] if len(h) >= 4 * ihl else h + b"\0" * (4 * ihl - len(h))
    s = csum(h[:20] + opts) if good_sum else 0xDEAD
    h = h[:10] + struct.pack("!H", s) + h[12:]
    return h + payload


def pseudo(src, proto, seg):
    return src + GUEST_IP + struct.pack("!BBH", 0, proto, len(seg))


def tcp(src, sport, dport, seq, ack, flags, opts=b"", data=b"", doff=None, good_sum=True):
    off = doff if doff is not None else 5 + (len(opts) + 3) // 4
    opts = opts + b"\0" * ((4 - len(opts) % 4) % 4)
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (off & 0xF) << 4, flags, 8192, 0, 0)
    seg = h + opts + data
    s = csum(pseudo(src, 6, seg) + seg) if good_sum else 0xBEEF
    return seg[:16] + struct.pack("!H", s) + seg[18:]


def udp(src, sport, dport, data, ulen=None, good_sum=True):
    l = ulen if ulen is not None else 8 + len(data)
    seg = struct.pack("!HHHH", sport, dport, l & 0xFFFF, 0) + data
    s = csum(pseudo(src, 17, seg) + seg) if good_sum else 0xBEEF
    return seg[:6] + struct.pack("!H", s or 0xFFFF) + seg[8:]


def icmp_echo(data, good_sum=True):
    h = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + data
    s = csum(h) if good_sum else 0xBEEF
    return h[:2] + struct.pack("!H", s) + h[4:]


def rand_src(r):
    return bytes([198, 51, 100, r.randrange(1, 255)])


def barrage(r):
    """Yield one round of hostile frames."""
    src = rand_src(r)
    ident = r.randrange(65536)
    # ping of death: 8-byte-aligned fragments past 65535 bytes
    body = icmp_echo(bytes(r.randrange(256) for _ in range(1472)))
    for off in range(0, 65536 + 1480, 1480):
        chunk = body if off == 0 else bytes(1480)
        yield eth(ip(chunk, 1, src, ident, off // 8, mf=off < 65536))
    # teardrop: overlapping fragments with different bytes
    ident += 1
    yield eth(ip(b"A" * 48, 17, src, ident, 0, mf=True))
    yield eth(ip(b"B" * 48, 17, src, ident, 3, mf=False))
    yield eth(ip(b"C" * 16, 17, src, ident, 1, mf=True))
    # tiny and odd fragments
    ident += 1
    yield eth(ip(b"x" * 13, 17, src, ident, 0, mf=True))
    yield eth(ip(b"y" * 8, 17, src, ident, 0, mf=True))
    yield eth(ip(b"z" * 8, 17, src, ident, 8191, mf=False))
    # bad IP headers
    u = udp(src, 1000, 7, b"hello")
    yield eth(ip(u, 17, src, ver=6))
    yield eth(ip(u, 17, src, ihl=3))
    yield eth(ip(u, 17, src, ihl=15))
    yield eth(ip(u, 17, src, tot=1500))
    yield eth(ip(u, 17, src, tot=12))
    yield eth(ip(u, 17, src, good_sum=False))
    yield eth(ip(u, 17, src, ttl=0))
    yield eth(ip(u, 17, src, ihl=6, opts=b"\x44\x28\x00\x00"))
    # truncated headers
    yield eth(b"")
    yield eth(ip(u, 17, src)[:12])
    yield eth(ip(u, 17, src)[:24])
    yield eth(ip(tcp(src, 1, 80, 1, 0, 0x02), 6, src)[:30])
    yield eth(ip(icmp_echo(b""), 1, src)[:22])
    # bad layer 4
    yield eth(ip(udp(src, 1000, 7, b"hello", ulen=400), 17, src))
    yield eth(ip(udp(src, 1000, 7, b"hello", ulen=3), 17, src))
    yield eth(ip(udp(src, 1000, 53, b"hello", good_sum=False), 17, src))
    yield eth(ip(icmp_echo(b"ping", good_sum=False), 1, src))
    yield eth(ip(tcp(src, 2000, 80, 5, 0, 0x02, good_sum=False), 6, src))
    yield eth(ip(tcp(src, 2000, 80, 5, 0, 0x02, doff=2), 6, src))
    yield eth(ip(tcp(src, 2000, 80, 5, 0, 0x02, doff=15), 6, src))
    # malformed TCP options on SYNs to the listener
    for o in (b"\x02\x00\x05\xb4", b"\x02\x01", b"\x03\x08\x0e", b"\x02\x04\x00\x00",
              b"\x03\x03\xff", b"\x08\x0a\x00\x00", b"\x05\x02", b"\x02\x04\x05"):
        yield eth(ip(tcp(src, r.randrange(1024, 65535), 80, r.getrandbits(32), 0, 0x02, o), 6, src))
    # SYN flood from spoofed sources
    for _ in range(64):
        s = rand_src(r)
        yield eth(ip(tcp(s, r.randrange(1024, 65535), 80, r.getrandbits(32), 0, 0x02,
                         b"\x02\x04\x05\xb4"), 6, s))
    # stray segments with random sequence numbers
    for fl in (0x10, 0x04, 0x14, 0x01, 0x11, 0x20, 0x3F, 0x00):
        yield eth(ip(tcp(src, r.randrange(1024, 65535), 80, r.getrandbits(32), r.getrandbits(32), fl,
                         data=b"GET / HTTP/1.0\r\n\r\n"), 6, src))
    # ARP garbage
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + ATTACK_MAC + src + GUEST_MAC + GUEST_IP
    yield eth(arp, 0x0806)
    yield eth(arp[:10], 0x0806)
    yield eth(struct.pack("!HHBBH", 1, 0x0800, 255, 255, 1) + bytes(40), 0x0806)
    yield eth(arp, 0x0806, dst=b"\xff" * 6)
    # random bytes, and valid headers followed by random bytes
    for _ in range(32):
        yield bytes(r.getrandbits(8) for _ in range(r.randrange(1, 1515)))
        n = r.randrange(0, 1480)
        proto = r.choice((1, 6, 17, r.randrange(256)))
        yield eth(ip(bytes(r.getrandbits(8) for _ in range(n)), proto, src))


def main():
    a = sys.argv[1:]
    port, back, seed = int(a[0]), int(a[1]), int(a[2])
    count = int(a[3]) if len(a) > 3 else 4000
    if len(a) > 6:
        while True:
            try:
                with open(a[4]) as f:
                    if a[5] in f.read():
                        break
            except OSError:
                pass
            time.sleep(0.5)
    r = random.Random(seed)
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out.bind(("127.0.0.1", back))
    out.setblocking(False)
    sent = 0
    seen = [0]

    def drain():
        try:
            while True:
                f = out.recv(65536)
                if (len(f) >= 54 and f[6:12] == GUEST_MAC and f[12:14] == b"\x08\x00" and
                        f[23] == 6 and f[14 + 4 * (f[14] & 15):][:2] == b"\x00\x50"):
                    seen[0] += 1
        except BlockingIOError:
            pass
    while sent < count:
        for f in barrage(r):
            if len(f) < 14:
                f = f + bytes(14 - len(f))
            out.sendto(f[:1514], ("127.0.0.1", port))
            sent += 1
            if sent % 64 == 0:
                time.sleep(0.02)	# the guest runs under TCG: do not just fill its ring
                drain()
            if sent >= count:
                break
    for _ in range(20):
        time.sleep(0.1)
        drain()
    msg = "barrage done: %d frames (seed %d), %d segments from the guest's port 80" % (
        sent, seed, seen[0])
    print(msg, flush=True)
    if len(a) > 6:
        with open(a[6] + ".tmp", "w") as f:
            f.write(msg + "\n")
        os.rename(a[6] + ".tmp", a[6])


if __name__ == "__main__":
    main()
