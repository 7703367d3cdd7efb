#!/usr/bin/env python3
"""Changes the virtual machine's screen size the way a VNC viewer whose window was resized does.

    vnc_resize.py SOCKET WIDTH HEIGHT

Speaks just enough RFB 3.8 to QEMU's VNC server on a Unix socket: no authentication, the
ExtendedDesktopSize pseudo-encoding, one SetDesktopSize message. QEMU hands the size to the
display device; virtio-gpu reports it to the guest as the new preferred mode, and the guest
kernel sends a DRM hotplug uevent, as a replugged HDMI screen does. No other encodings are
announced and no frame is requested, so the only messages back are desktop-size notices.
Exits 0 once QEMU has accepted (forwarded) the request, 1 with the reason otherwise.
"""
import socket
import struct
import sys

EXTENDED_DESKTOP_SIZE = -308
SET_DESKTOP_SIZE = 251
# ExtendedDesktopSize statuses: 0 done; 4 is QEMU's "forwarded to the device".
ACCEPTED = {0, 4}
REFUSED = {1: "resize prohibited", 2: "out of resources", 3: "invalid screen layout"}


def receive(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit("vnc_resize: QEMU closed the connection")
        data += chunk
    return data


def handshake(sock):
    receive(sock, 12)  # the server's protocol version
    sock.sendall(b"RFB 003.008\n")
    offered = receive(sock, receive(sock, 1)[0])
    if 1 not in offered:
        sys.exit(f"vnc_resize: QEMU wants authentication (security types {list(offered)})")
    sock.sendall(bytes([1]))
    if struct.unpack(">I", receive(sock, 4))[0] != 0:
        sys.exit("vnc_resize: QEMU refused the connection")
    sock.sendall(bytes([1]))  # ClientInit: share the desktop
    receive(sock, 20)  # width, height, pixel format
    receive(sock, struct.unpack(">I", receive(sock, 4))[0])  # desktop name


def request_size(sock, width, height):
    sock.sendall(struct.pack(">BxHi", 2, 1, EXTENDED_DESKTOP_SIZE))  # SetEncodings
    screen = struct.pack(">IHHHHI", 0, 0, 0, width, height, 0)
    sock.sendall(struct.pack(">BxHHBx", SET_DESKTOP_SIZE, width, height, 1) + screen)


def answer(sock):
    """The status of the desktop-size notice that answers our request (reason 1: this client)."""
    while True:
        kind = receive(sock, 1)[0]
        if kind != 0:
            sys.exit(f"vnc_resize: unexpected server message {kind}")
        (rects,) = struct.unpack(">xH", receive(sock, 3))
        for _ in range(rects):
            reason, status, _, _, encoding = struct.unpack(">HHHHi", receive(sock, 12))
            if encoding != EXTENDED_DESKTOP_SIZE:
                sys.exit(f"vnc_resize: unexpected encoding {encoding}")
            screens = receive(sock, 4)[0]
            receive(sock, 16 * screens)
            if reason == 1:
                return status


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: vnc_resize.py SOCKET WIDTH HEIGHT")
    path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(20)
        sock.connect(path)
        try:
            handshake(sock)
            request_size(sock, width, height)
            status = answer(sock)
        except socket.timeout:
            sys.exit(f"vnc_resize: QEMU did not answer within 20 s (asked for {width}x{height})")
    if status not in ACCEPTED:
        sys.exit(f"vnc_resize: QEMU refused {width}x{height}: {REFUSED.get(status, status)}")


if __name__ == "__main__":
    main()
