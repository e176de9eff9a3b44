#!/usr/bin/python3
"""smtpd.py: a test SMTP server for the mail tests (not part of the product).

Runs on Debian's python3-aiosmtpd; start it with /usr/bin/python3. It listens
on loopback only and stops on SIGTERM (or after --lifetime seconds).

  --host ADDR            127.0.0.1 (default) or ::1
  --port N               0 picks a free port and writes it to --port-file
  --port-file FILE       where the port goes once the server listens
  --pid-file FILE
  --maildir DIR          each accepted message becomes DIR/N.eml (the bytes
                         received, dot-unstuffed) and DIR/N.env (envelope:
                         "from ADDR", "to ADDR" lines, "dropped" when the
                         final reply was never sent)
  --starttls CERT KEY    offer STARTTLS and require it before MAIL
  --smtps CERT KEY       implicit TLS from the first byte
  --auth USER:PASS       require AUTH (PLAIN or LOGIN), offered only over TLS
  --mode MODE            normal; fail-once-451 (the first message gets 451
                         after its data, later ones 250); reject-550 (every
                         RCPT gets 550); drop-after-data (the first message
                         is read and stored in full, then the connection is
                         closed without the final reply; later ones normal);
                         hang (accept connections, never say a word)
  --idle-timeout S       close a connection that sent nothing for S seconds
                         (default 60), without a word, as servers do
  --lifetime S           stop by itself after S seconds (default 600)
  --log FILE             one line per connection and per command received:
                         "cN connect PEER", "cN >> COMMAND", "cN tls",
                         "cN auth ok|failed", "cN stored N", "cN dropped N",
                         "cN close" (AUTH arguments are masked)
"""

import argparse
import asyncio
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

MODES = ("normal", "fail-once-451", "reject-550", "drop-after-data", "hang")


class State:
    """What the whole server shares: options, counters, the log file."""

    def __init__(self, args):
        self.args = args
        self.conns = 0
        self.messages = 0
        self.failed_once = False
        self.dropped_once = False
        self.peers = {}         # peer address -> connection id
        self.transports = set()
        self.logfile = open(args.log, "a", buffering=1) if args.log else None

    def log(self, conn, text):
        if self.logfile is not None:
            self.logfile.write("c%d %s\n" % (conn, text))


class CommandLog(logging.Handler):
    """Turns aiosmtpd's own "PEER >> LINE" records into log lines."""

    def __init__(self, state):
        super().__init__(logging.INFO)
        self.state = state

    def emit(self, record):
        if record.msg != "%r >> %r" or len(record.args) != 2:
            return
        peer, line = record.args
        conn = self.state.peers.get(peer, 0)
        if isinstance(line, bytes):
            line = line.decode("ascii", "backslashreplace")
        if line.upper().startswith("AUTH"):
            line = " ".join(line.split()[:2]) + " ********"
        self.state.log(conn, ">> " + line)


class LoggedSMTP(SMTP):
    """aiosmtpd's SMTP, numbering and logging connections."""

    def __init__(self, state, *args, **kwargs):
        self.state = state
        self.conn = 0
        super().__init__(*args, **kwargs)

    def connection_made(self, transport):
        if self._original_transport is None:
            self.state.conns += 1
            self.conn = self.state.conns
            peer = transport.get_extra_info("peername")
            self.state.peers[peer] = self.conn
            self.state.transports.add(transport)
            self.state.log(self.conn, "connect %s %s" % (peer[0], peer[1]))
        else:
            self.state.log(self.conn, "tls")
        super().connection_made(transport)

    def connection_lost(self, error):
        self.state.log(self.conn, "close")
        super().connection_lost(error)


class Handler:
    """The hooks that store messages and play the failure modes."""

    def __init__(self, state):
        self.state = state

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if self.state.args.mode == "reject-550":
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def store(self, envelope, dropped):
        self.state.messages += 1
        n = self.state.messages
        d = self.state.args.maildir
        if d:
            env = "from %s\n" % envelope.mail_from
            env += "".join("to %s\n" % r for r in envelope.rcpt_tos)
            if dropped:
                env += "dropped\n"
            for name, data in (("%d.env" % n, env.encode()),
                               ("%d.eml" % n, envelope.original_content)):
                tmp = os.path.join(d, "." + name + ".tmp")
                with open(tmp, "wb") as f:
                    f.write(data)
                os.rename(tmp, os.path.join(d, name))
        return n

    async def handle_DATA(self, server, session, envelope):
        state = self.state
        mode = state.args.mode
        if mode == "fail-once-451" and not state.failed_once:
            state.failed_once = True
            state.log(server.conn, "451 once")
            return "451 4.3.0 Temporary failure, try again later"
        if mode == "drop-after-data" and not state.dropped_once:
            state.dropped_once = True
            n = self.store(envelope, True)
            state.log(server.conn, "dropped %d" % n)
            server.transport.close()
            return "250 OK (never sent)"
        n = self.store(envelope, False)
        state.log(server.conn, "stored %d" % n)
        if state.args.delay > 0:
            # A slow server: the final reply comes late (kill -9 tests).
            await asyncio.sleep(state.args.delay)
        return "250 2.0.0 OK queued as %d" % n


class Silent(asyncio.Protocol):
    """--mode hang: accept the connection and never answer."""

    def __init__(self, state):
        self.state = state

    def connection_made(self, transport):
        self.state.conns += 1
        self.conn = self.state.conns
        self.state.transports.add(transport)
        peer = transport.get_extra_info("peername")
        self.state.log(self.conn, "connect %s %s" % (peer[0], peer[1]))

    def connection_lost(self, error):
        self.state.log(self.conn, "close")


def tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


async def serve(args):
    state = State(args)
    log = logging.getLogger("mail.log")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(CommandLog(state))
    loop = asyncio.get_running_loop()

    user = password = None
    if args.auth:
        user, _, password = args.auth.partition(":")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        state.log(server.conn, "auth %s" % ("ok" if ok else "failed"))
        return AuthResult(success=ok, handled=False)

    starttls = tls_context(*args.starttls) if args.starttls else None
    smtps = tls_context(*args.smtps) if args.smtps else None
    handler = Handler(state)

    def factory():
        if args.mode == "hang":
            return Silent(state)
        return LoggedSMTP(
            state, handler, loop=loop, hostname="smtpd.test",
            tls_context=starttls, require_starttls=starttls is not None,
            authenticator=authenticator if args.auth else None,
            auth_required=bool(args.auth),
            # With implicit TLS the whole connection is encrypted, but
            # aiosmtpd only knows about STARTTLS.
            auth_require_tls=smtps is None,
            timeout=args.idle_timeout)

    server = await loop.create_server(factory, host=args.host,
                                      port=args.port, ssl=smtps)
    port = server.sockets[0].getsockname()[1]
    if args.pid_file:
        write_atomic(args.pid_file, "%d\n" % os.getpid())
    if args.port_file:
        write_atomic(args.port_file, "%d\n" % port)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except asyncio.TimeoutError:
        pass
    server.close()
    for t in list(state.transports):
        t.abort()
    await asyncio.sleep(0.05)
    if state.logfile is not None:
        state.logfile.close()


def main():
    p = argparse.ArgumentParser(description="test SMTP server")
    p.add_argument("--host", default="127.0.0.1", choices=("127.0.0.1", "::1"))
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--pid-file")
    p.add_argument("--maildir")
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth", metavar="USER:PASS")
    p.add_argument("--mode", default="normal", choices=MODES)
    p.add_argument("--log")
    p.add_argument("--delay", type=float, default=0,
                   help="seconds to wait before the final reply to DATA")
    p.add_argument("--idle-timeout", type=float, default=60,
                   help="close a connection idle this many seconds")
    p.add_argument("--lifetime", type=float, default=600,
                   help="stop by itself after this many seconds")
    args = p.parse_args()
    if args.starttls and args.smtps:
        p.error("--starttls and --smtps are exclusive")
    if args.auth and ":" not in args.auth:
        p.error("--auth takes USER:PASS")
    if args.port == 0 and not args.port_file:
        p.error("--port 0 needs --port-file")
    warnings.simplefilter("ignore")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
