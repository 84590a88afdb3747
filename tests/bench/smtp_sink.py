"""A local SMTP sink for the benchmarks (aiosmtpd, a dev dependency): offers PIPELINING, accepts
every message, keeps none, and writes how many it has accepted to a file twice a second (and at the end).

    python -m tests.bench.smtp_sink PORT COUNT_FILE

It runs in a process of its own, so that the sender's figure is not shared with the server's CPU.
"""

import signal
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.messages = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        """Offers PIPELINING (RFC 2920), as Postfix and the large providers do; aiosmtpd handles
        pipelined commands (it reads them one after the other) but does not say so itself."""
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


def main(port: int, count_file: Path) -> None:
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    running = True

    def stop(*_args):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while running:
            tmp = count_file.with_suffix(".tmp")
            tmp.write_text(str(counter.messages))
            tmp.replace(count_file)
            time.sleep(0.5)
    finally:
        controller.stop()
        count_file.write_text(str(counter.messages))


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
