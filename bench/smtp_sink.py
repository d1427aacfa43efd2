"""A local SMTP server that accepts and counts messages: `python bench/smtp_sink.py PORT`.

A minimal SMTP responder on asyncio (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), so that
on this 2-core machine the benchmark measures the sender and not the receiving server:
aiosmtpd, a full implementation in Python, needs about 1 ms of CPU per message.
"""

import asyncio
import signal
import sys

END_OF_DATA = b"\r\n.\r\n"
REPLIES = {
    b"EHLO": b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
    b"HELO": b"250 sink\r\n",
    b"MAIL": b"250 2.1.0 OK\r\n",
    b"RCPT": b"250 2.1.5 OK\r\n",
    b"RSET": b"250 2.0.0 OK\r\n",
    b"NOOP": b"250 2.0.0 OK\r\n",
    b"DATA": b"354 End data with <CR><LF>.<CR><LF>\r\n",
}


class Counter:
    messages = 0


class SinkProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    return
                self.buffer = self.buffer[end + len(END_OF_DATA) :]
                self.in_data = False
                Counter.messages += 1
                self.transport.write(b"250 2.0.0 OK queued\r\n")
                continue
            line, found, rest = self.buffer.partition(b"\r\n")
            if not found:
                return
            self.buffer = rest
            verb = line[:4].upper()
            if verb == b"QUIT":
                self.transport.write(b"221 2.0.0 Bye\r\n")
                self.transport.close()
                return
            self.transport.write(REPLIES.get(verb, b"502 5.5.2 Command not recognized\r\n"))
            if verb == b"DATA":
                # The terminator search starts at the CRLF that ended the DATA line.
                self.in_data = True
                self.buffer = b"\r\n" + self.buffer


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    server = await loop.create_server(SinkProtocol, "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await stop
    print(Counter.messages, flush=True)


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
