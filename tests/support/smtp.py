import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        # A mailbox that does not exist is refused at RCPT, naming the address.
        if self.server.refusals_left != 0 and self.server.refusal == self.server.PERMANENT:
            self.server.refusals_left -= 1
            return self.server.refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, smtp, session, envelope):
        if self.server.refusals_left != 0:
            self.server.refusals_left -= 1
            return self.server.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.server.messages.append(message)
        return "250 2.0.0 OK"


class SmtpServer:
    """aiosmtpd on a loopback port.

    `refuse(n)` makes it answer the next n messages with a temporary failure (451);
    `refuse(-1)` refuses until `refuse(0)`; `refuse(n, permanent=True)` answers 550 to the
    recipient instead, as a server does for a mailbox that does not exist.
    """

    TEMPORARY = "451 4.3.0 Try again later"
    PERMANENT = "550 5.1.1 Mailbox unavailable"

    def __init__(self):
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.refusals_left = 0
        self.refusal = self.TEMPORARY
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    def refuse(self, count: int, *, permanent: bool = False) -> None:
        self.refusals_left = count
        self.refusal = self.PERMANENT if permanent else self.TEMPORARY

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages
