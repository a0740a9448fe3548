#!/bin/sh
# GRE tunnels of host-b, rendered by route-broker. Safe to run again.
set -eu

# gre-pe1: key 1001, 192.0.2.10 -> 198.18.0.2
if ip link show dev gre-pe1 >/dev/null 2>&1; then
  ip tunnel change gre-pe1 mode gre local 192.0.2.10 remote 198.18.0.2 key 1001 ttl 255
else
  ip tunnel add gre-pe1 mode gre local 192.0.2.10 remote 198.18.0.2 key 1001 ttl 255
fi
ip link set gre-pe1 mtu 1476 up
ip addr replace 169.254.0.6/30 dev gre-pe1
for address in $(ip -4 -o addr show dev gre-pe1 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.6/30 ] || ip addr del "$address" dev gre-pe1
done
for address in $(ip -6 -o addr show dev gre-pe1 scope global | awk '{ print $4 }'); do
  ip -6 addr del "$address" dev gre-pe1
done

# gre-pe2: key 1002, 192.0.2.10 -> 198.18.0.3
if ip link show dev gre-pe2 >/dev/null 2>&1; then
  ip tunnel change gre-pe2 mode gre local 192.0.2.10 remote 198.18.0.3 key 1002 ttl 255
else
  ip tunnel add gre-pe2 mode gre local 192.0.2.10 remote 198.18.0.3 key 1002 ttl 255
fi
ip link set gre-pe2 mtu 1476 up
ip addr replace 169.254.0.10/30 dev gre-pe2
for address in $(ip -4 -o addr show dev gre-pe2 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.10/30 ] || ip addr del "$address" dev gre-pe2
done
ip -6 addr replace fd00:2::2/126 dev gre-pe2 nodad
for address in $(ip -6 -o addr show dev gre-pe2 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2::2/126 ] || ip -6 addr del "$address" dev gre-pe2
done
