#!/usr/bin/python3
"""Forged packets and a packet watcher for tests/attacks.sh (Debian's
python3-scapy). Run inside a namespace with ip netns exec.

  forge.py watch IFACE SECONDS OUT     write 'ready', then one line per IPv4/IPv6
                                       packet seen on IFACE, to OUT
  forge.py syn SRC SPORT DST DPORT     a TCP SYN (seq 1000), routed
  forge.py ack IFACE MAC SRC SPORT DST DPORT ACK
                                       the handshake's ACK (seq 1001), as a
                                       frame to MAC on IFACE
  forge.py udp IFACE MAC SRC SPORT DST DPORT TEXT
                                       a datagram, as a frame to MAC (MAC
                                       'route': sent through the routing table)
  forge.py echo PORT SECONDS           a UDP echo server (so that a flow to it
                                       is established) for SECONDS
  forge.py ask SPORT HOST PORT TEXT SECONDS
                                       a datagram from port SPORT, and whether
                                       it is answered: 'answered', 'refused'
                                       (port unreachable came back), 'error
                                       ERRNO' (another ICMP error) or 'timeout'
  forge.py serve PORT BYTES SECONDS    a TCP server that sends BYTES to the
                                       first connection, then ends
  forge.py fetch HOST PORT SECONDS     connects and prints how many bytes
                                       came before the end or SECONDS
  forge.py icmp IFACE MAC SRC DST TYPE CODE QSRC QSPORT QDST QDPORT
                                       an ICMP error quoting a UDP datagram
                                       QSRC:QSPORT > QDST:QDPORT
  forge.py ping IFACE MAC SRC DST TTL TEXT
                                       an echo request (to MAC on IFACE)
  forge.py synfrom IFACE SRCMAC DSTMAC SRC SPORT DST DPORT
                                       a TCP SYN as a frame from any MAC
  forge.py arp IFACE SRCMAC IP         an ARP reply to everyone: IP is at SRCMAC
  forge.py ra IFACE PREFIX             a router advertisement for PREFIX/64,
                                       router lifetime 1800 s, to ff02::1
"""
import errno
import socket
import sys
import time

from scapy.all import (ARP, ICMP, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, IP, IPv6, TCP, UDP, Ether,
                       Raw, conf, get_if_hwaddr, send, sendp, sniff)
from scapy.utils6 import in6_mactoifaceid

conf.verb = 0


def describe(p):
    """One line: protocol, addresses, ports, TCP flags and the payload."""
    ip = p[IP] if IP in p else p[IPv6] if IPv6 in p else None
    if ip is None:
        return None
    line = '%s %s > %s' % (ip.__class__.__name__, ip.src, ip.dst)
    if ICMP in p:
        line += ' ICMP type=%d code=%d' % (p[ICMP].type, p[ICMP].code)
        payload = bytes(p[ICMP].payload)
        if p[ICMP].type in (0, 8) and payload:
            line += ' data=%s' % payload.decode('ascii', 'backslashreplace').strip()
    for proto in (TCP, UDP):
        if proto in p:
            line += ' %s %d > %d' % (proto.__name__, p[proto].sport, p[proto].dport)
            if proto is TCP:
                line += ' flags=%s seq=%d' % (p[TCP].flags, p[TCP].seq)
            payload = bytes(p[proto].payload)
            if payload:
                line += ' data=%s' % payload.decode('ascii', 'backslashreplace').strip()
    return line


def watch(iface, seconds, out):
    with open(out, 'w', buffering=1) as f:
        def show(p):
            line = describe(p)
            if line:
                f.write(line + '\n')
        sniff(iface=iface, timeout=float(seconds), prn=show, store=False,
              started_callback=lambda: f.write('ready\n'))


def echo(port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('0.0.0.0', int(port)))
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        s.settimeout(max(end - time.monotonic(), 0.01))
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            break
        s.sendto(data, peer)


def ask(sport, host, port, text, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('0.0.0.0', int(sport)))
    s.connect((host, int(port)))
    # Every ICMP error about the flow reaches recv, not only the hard ones.
    s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_RECVERR", 11), 1)  # 11: Linux, absent from 3.11
    s.settimeout(float(seconds))
    s.send(text.encode())
    try:
        s.recv(2048)
        print('answered')
    except ConnectionRefusedError:
        print('refused')
    except socket.timeout:
        print('timeout')
    except OSError as e:
        print('error %s' % errno.errorcode.get(e.errno, e.errno))


def serve(port, count, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', int(port)))
    s.listen(1)
    s.settimeout(float(seconds))
    try:
        c, _ = s.accept()
    except socket.timeout:
        return
    c.settimeout(float(seconds))
    try:
        c.sendall(b'x' * int(count))
    except OSError:
        pass
    c.close()


def fetch(host, port, seconds):
    got = 0
    end = time.monotonic() + float(seconds)
    try:
        c = socket.create_connection((host, int(port)), timeout=float(seconds))
        while time.monotonic() < end:
            c.settimeout(max(end - time.monotonic(), 0.01))
            data = c.recv(65536)
            if not data:
                break
            got += len(data)
    except OSError:
        pass
    print(got)


def frame(iface, mac, packet):
    if mac == 'route':
        send(packet)
    else:
        sendp(Ether(src=get_if_hwaddr(iface), dst=mac) / packet, iface=iface)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == 'watch':
        watch(*args)
    elif cmd == 'echo':
        echo(*args)
    elif cmd == 'syn':
        src, sport, dst, dport = args
        send(IP(src=src, dst=dst) / TCP(sport=int(sport), dport=int(dport), flags='S', seq=1000))
    elif cmd == 'ack':
        iface, mac, src, sport, dst, dport, ack = args
        frame(iface, mac, IP(src=src, dst=dst) / TCP(sport=int(sport), dport=int(dport), flags='A', seq=1001,
                                                     ack=int(ack)))
    elif cmd == 'udp':
        iface, mac, src, sport, dst, dport, text = args
        frame(iface, mac, IP(src=src, dst=dst) / UDP(sport=int(sport), dport=int(dport)) / Raw(text.encode()))
    elif cmd == 'ask':
        ask(*args)
    elif cmd == 'serve':
        serve(*args)
    elif cmd == 'fetch':
        fetch(*args)
    elif cmd == 'icmp':
        iface, mac, src, dst, typ, code, qsrc, qsport, qdst, qdport = args
        frame(iface, mac, IP(src=src, dst=dst) / ICMP(type=int(typ), code=int(code)) /
              IP(src=qsrc, dst=qdst) / UDP(sport=int(qsport), dport=int(qdport)))
    elif cmd == 'ping':
        iface, mac, src, dst, ttl, text = args
        frame(iface, mac, IP(src=src, dst=dst, ttl=int(ttl)) / ICMP(type=8, id=4242) / Raw(text.encode()))
    elif cmd == 'synfrom':
        iface, smac, dmac, src, sport, dst, dport = args
        sendp(Ether(src=smac, dst=dmac) / IP(src=src, dst=dst) /
              TCP(sport=int(sport), dport=int(dport), flags='S', seq=1000), iface=iface)
    elif cmd == 'arp':
        iface, smac, ip = args
        sendp(Ether(src=smac, dst='ff:ff:ff:ff:ff:ff') /
              ARP(op=2, hwsrc=smac, psrc=ip, hwdst='ff:ff:ff:ff:ff:ff', pdst=ip), iface=iface, count=3)
    elif cmd == 'ra':
        iface, prefix = args
        mac = get_if_hwaddr(iface)
        sendp(Ether(src=mac, dst='33:33:00:00:00:01') / IPv6(src='fe80::' + in6_mactoifaceid(mac), dst='ff02::1', hlim=255) /
              ICMPv6ND_RA(routerlifetime=1800) / ICMPv6NDOptSrcLLAddr(lladdr=mac) /
              ICMPv6NDOptPrefixInfo(prefix=prefix, prefixlen=64, L=1, A=1, validlifetime=86400,
                                    preferredlifetime=14400), iface=iface)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
