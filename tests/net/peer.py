#!/usr/bin/env python3
"""Host-side peers of the network tests (tests/run.d/70-net.sh).

usage: peer.py ports N            print N free TCP ports on 127.0.0.1
       peer.py sink PORT OUT SIZE accept one connection, write what arrives
                                  to OUT; close after SIZE bytes or at EOF
       peer.py send PORT FILE LOG WORD
                                  once LOG shows WORD (the guest asked the
                                  host web server for it: it listens now),
                                  connect through QEMU's hostfwd, send FILE
       peer.py serve PORT MODE [SIZE]
                                  for ever: accept connections on PORT and
                                  close them (MODE accept), send SIZE bytes
                                  (source), or read to EOF (sink); for
                                  bench/net/run.sh
       peer.py fetch URL REPORT   download URL (retrying until the guest's
                                  web server answers), then write
                                  "host got MD5" to the file REPORT

Through QEMU user networking a host connection to a forwarded port is
accepted at once even when nothing listens in the guest, so the host
cannot tell a refused connection from a slow one: the guest says when it
listens (send), and the guest fetches the result (fetch), instead.
"""
import hashlib, os, select, socket, sys, time, urllib.request

GUARD = float(os.environ.get("TEST_GUARD", "300"))


def ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


def sink(port, out, size):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(1)
    ls.settimeout(GUARD)
    c, _ = ls.accept()
    c.settimeout(GUARD)
    got = 0
    with open(out, "wb") as f:
        while got < size:
            d = c.recv(65536)
            if not d:
                break
            f.write(d)
            got += len(d)
    c.close()


def send(port, path, trigger_log, trigger):
    """Once trigger_log (the host web server's log) shows the guest asking
    for trigger, the guest listens: connect to it and send the file."""
    end = time.time() + GUARD
    while time.time() < end:
        try:
            with open(trigger_log) as f:
                if trigger in f.read():
                    break
        except OSError:
            pass
        time.sleep(0.5)
    with open(path, "rb") as f:
        data = f.read()
    c = socket.create_connection(("127.0.0.1", port), timeout=GUARD)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass
    c.close()
    print("sent %d bytes to %d" % (len(data), port), flush=True)


def fetch(url, report):
    """Download url (retrying: the guest's server may not be up yet) and
    write "host got MD5" to the file report, which the guest then reads
    from the host's web server."""
    end = time.time() + GUARD
    body = None
    while time.time() < end and body is None:
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                body = r.read()
        except OSError:
            time.sleep(1)
    md5 = hashlib.md5(body).hexdigest() if body is not None else "nothing"
    with open(report + ".tmp", "w") as f:
        f.write("host got %s\n" % md5)
    os.rename(report + ".tmp", report)
    print("fetched %s: %s" % (url, md5), flush=True)


def serve(port, mode, size):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(16)
    block = bytes(65536)
    while True:
        c, _ = ls.accept()
        try:
            if mode == "source":
                left = size
                while left > 0:
                    c.sendall(block[:min(left, len(block))])
                    left -= min(left, len(block))
            elif mode == "sink":
                while c.recv(65536):
                    pass
        except OSError:
            pass
        c.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "ports":
        ports(int(a[1]))
    elif a[0] == "sink":
        sink(int(a[1]), a[2], int(a[3]))
    elif a[0] == "send":
        send(int(a[1]), a[2], a[3], a[4])
    elif a[0] == "serve":
        serve(int(a[1]), a[2], int(a[3]) if len(a) > 3 else 0)
    elif a[0] == "fetch":
        fetch(a[1], a[2])
    else:
        sys.exit(__doc__)
