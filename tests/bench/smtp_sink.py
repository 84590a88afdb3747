"""A local SMTP sink for the benchmarks: speaks the server side of SMTP (RFC 5321) with PIPELINING
(RFC 2920), accepts every message, keeps none, and writes how many it has accepted to a file twice
a second (and at the end).

    python -m tests.bench.smtp_sink PORT COUNT_FILE

It runs in a process of its own, so that the sender's figure is not shared with the server's CPU.
It is a plain asyncio protocol rather than aiosmtpd: what the benchmark measures is the sender (a
connection per batch, a MAIL/RCPT/DATA exchange per message, the bytes on the wire), and the
receiving side should cost about what a real mail server written in C costs, not the 0.65 ms of
CPU per message that aiosmtpd's per-command coroutines took — more than the sender itself, on the
same two cores. ``tests/scheduling/test_notice_batches.py`` checks the messages themselves
against aiosmtpd and Python's ``email`` parser.
"""

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

END_OF_DATA = b"\r\n.\r\n"
EHLO = b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"


class Sink(asyncio.Protocol):
    messages = 0  # over every connection

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                # the message ends at CRLF.CRLF; the CRLF before the dot is the last line's
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    break
                self.buffer = self.buffer[end + len(END_OF_DATA) :]
                self.in_data = False
                Sink.messages += 1
                replies.append(b"250 2.0.0 OK queued\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                break
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2 :]
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                replies.append(EHLO if verb == b"EHLO" else b"250 sink\r\n")
            elif verb == b"DATA":
                self.in_data = True
                # what came before DATA in the buffer was answered; the message follows
                self.buffer = b"\r\n" + self.buffer  # so a message of one line still ends at CRLF.CRLF
                replies.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                replies.append(b"221 Bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                replies.append(b"250 OK\r\n")
            else:
                replies.append(b"502 Command not implemented\r\n")
        if replies:
            self.transport.write(b"".join(replies))


async def serve(port: int, count_file: Path) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, "127.0.0.1", port)
    stopped = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    try:
        while not stopped.is_set():
            tmp = count_file.with_suffix(".tmp")
            tmp.write_text(str(Sink.messages))
            tmp.replace(count_file)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopped.wait(), 0.5)
    finally:
        server.close()
        count_file.write_text(str(Sink.messages))


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), Path(sys.argv[2])))
