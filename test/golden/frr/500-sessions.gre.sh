#!/bin/sh
# GRE tunnels of host-big, rendered by route-broker. Safe to run again.
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
ip -6 addr replace fd00:1::2/126 dev gre-pe1 nodad
for address in $(ip -6 -o addr show dev gre-pe1 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1::2/126 ] || ip -6 addr del "$address" dev gre-pe1
done

# gre-pe10: key 1010, 192.0.2.10 -> 198.18.0.11
if ip link show dev gre-pe10 >/dev/null 2>&1; then
  ip tunnel change gre-pe10 mode gre local 192.0.2.10 remote 198.18.0.11 key 1010 ttl 255
else
  ip tunnel add gre-pe10 mode gre local 192.0.2.10 remote 198.18.0.11 key 1010 ttl 255
fi
ip link set gre-pe10 mtu 1476 up
ip addr replace 169.254.0.42/30 dev gre-pe10
for address in $(ip -4 -o addr show dev gre-pe10 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.42/30 ] || ip addr del "$address" dev gre-pe10
done
ip -6 addr replace fd00:a::2/126 dev gre-pe10 nodad
for address in $(ip -6 -o addr show dev gre-pe10 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a::2/126 ] || ip -6 addr del "$address" dev gre-pe10
done

# gre-pe100: key 1100, 192.0.2.10 -> 198.18.0.101
if ip link show dev gre-pe100 >/dev/null 2>&1; then
  ip tunnel change gre-pe100 mode gre local 192.0.2.10 remote 198.18.0.101 key 1100 ttl 255
else
  ip tunnel add gre-pe100 mode gre local 192.0.2.10 remote 198.18.0.101 key 1100 ttl 255
fi
ip link set gre-pe100 mtu 1476 up
ip addr replace 169.254.1.146/30 dev gre-pe100
for address in $(ip -4 -o addr show dev gre-pe100 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.146/30 ] || ip addr del "$address" dev gre-pe100
done
ip -6 addr replace fd00:64::2/126 dev gre-pe100 nodad
for address in $(ip -6 -o addr show dev gre-pe100 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:64::2/126 ] || ip -6 addr del "$address" dev gre-pe100
done

# gre-pe101: key 1101, 192.0.2.10 -> 198.18.0.102
if ip link show dev gre-pe101 >/dev/null 2>&1; then
  ip tunnel change gre-pe101 mode gre local 192.0.2.10 remote 198.18.0.102 key 1101 ttl 255
else
  ip tunnel add gre-pe101 mode gre local 192.0.2.10 remote 198.18.0.102 key 1101 ttl 255
fi
ip link set gre-pe101 mtu 1476 up
ip addr replace 169.254.1.150/30 dev gre-pe101
for address in $(ip -4 -o addr show dev gre-pe101 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.150/30 ] || ip addr del "$address" dev gre-pe101
done
ip -6 addr replace fd00:65::2/126 dev gre-pe101 nodad
for address in $(ip -6 -o addr show dev gre-pe101 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:65::2/126 ] || ip -6 addr del "$address" dev gre-pe101
done

# gre-pe102: key 1102, 192.0.2.10 -> 198.18.0.103
if ip link show dev gre-pe102 >/dev/null 2>&1; then
  ip tunnel change gre-pe102 mode gre local 192.0.2.10 remote 198.18.0.103 key 1102 ttl 255
else
  ip tunnel add gre-pe102 mode gre local 192.0.2.10 remote 198.18.0.103 key 1102 ttl 255
fi
ip link set gre-pe102 mtu 1476 up
ip addr replace 169.254.1.154/30 dev gre-pe102
for address in $(ip -4 -o addr show dev gre-pe102 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.154/30 ] || ip addr del "$address" dev gre-pe102
done
ip -6 addr replace fd00:66::2/126 dev gre-pe102 nodad
for address in $(ip -6 -o addr show dev gre-pe102 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:66::2/126 ] || ip -6 addr del "$address" dev gre-pe102
done

# gre-pe103: key 1103, 192.0.2.10 -> 198.18.0.104
if ip link show dev gre-pe103 >/dev/null 2>&1; then
  ip tunnel change gre-pe103 mode gre local 192.0.2.10 remote 198.18.0.104 key 1103 ttl 255
else
  ip tunnel add gre-pe103 mode gre local 192.0.2.10 remote 198.18.0.104 key 1103 ttl 255
fi
ip link set gre-pe103 mtu 1476 up
ip addr replace 169.254.1.158/30 dev gre-pe103
for address in $(ip -4 -o addr show dev gre-pe103 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.158/30 ] || ip addr del "$address" dev gre-pe103
done
ip -6 addr replace fd00:67::2/126 dev gre-pe103 nodad
for address in $(ip -6 -o addr show dev gre-pe103 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:67::2/126 ] || ip -6 addr del "$address" dev gre-pe103
done

# gre-pe104: key 1104, 192.0.2.10 -> 198.18.0.105
if ip link show dev gre-pe104 >/dev/null 2>&1; then
  ip tunnel change gre-pe104 mode gre local 192.0.2.10 remote 198.18.0.105 key 1104 ttl 255
else
  ip tunnel add gre-pe104 mode gre local 192.0.2.10 remote 198.18.0.105 key 1104 ttl 255
fi
ip link set gre-pe104 mtu 1476 up
ip addr replace 169.254.1.162/30 dev gre-pe104
for address in $(ip -4 -o addr show dev gre-pe104 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.162/30 ] || ip addr del "$address" dev gre-pe104
done
ip -6 addr replace fd00:68::2/126 dev gre-pe104 nodad
for address in $(ip -6 -o addr show dev gre-pe104 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:68::2/126 ] || ip -6 addr del "$address" dev gre-pe104
done

# gre-pe105: key 1105, 192.0.2.10 -> 198.18.0.106
if ip link show dev gre-pe105 >/dev/null 2>&1; then
  ip tunnel change gre-pe105 mode gre local 192.0.2.10 remote 198.18.0.106 key 1105 ttl 255
else
  ip tunnel add gre-pe105 mode gre local 192.0.2.10 remote 198.18.0.106 key 1105 ttl 255
fi
ip link set gre-pe105 mtu 1476 up
ip addr replace 169.254.1.166/30 dev gre-pe105
for address in $(ip -4 -o addr show dev gre-pe105 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.166/30 ] || ip addr del "$address" dev gre-pe105
done
ip -6 addr replace fd00:69::2/126 dev gre-pe105 nodad
for address in $(ip -6 -o addr show dev gre-pe105 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:69::2/126 ] || ip -6 addr del "$address" dev gre-pe105
done

# gre-pe106: key 1106, 192.0.2.10 -> 198.18.0.107
if ip link show dev gre-pe106 >/dev/null 2>&1; then
  ip tunnel change gre-pe106 mode gre local 192.0.2.10 remote 198.18.0.107 key 1106 ttl 255
else
  ip tunnel add gre-pe106 mode gre local 192.0.2.10 remote 198.18.0.107 key 1106 ttl 255
fi
ip link set gre-pe106 mtu 1476 up
ip addr replace 169.254.1.170/30 dev gre-pe106
for address in $(ip -4 -o addr show dev gre-pe106 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.170/30 ] || ip addr del "$address" dev gre-pe106
done
ip -6 addr replace fd00:6a::2/126 dev gre-pe106 nodad
for address in $(ip -6 -o addr show dev gre-pe106 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6a::2/126 ] || ip -6 addr del "$address" dev gre-pe106
done

# gre-pe107: key 1107, 192.0.2.10 -> 198.18.0.108
if ip link show dev gre-pe107 >/dev/null 2>&1; then
  ip tunnel change gre-pe107 mode gre local 192.0.2.10 remote 198.18.0.108 key 1107 ttl 255
else
  ip tunnel add gre-pe107 mode gre local 192.0.2.10 remote 198.18.0.108 key 1107 ttl 255
fi
ip link set gre-pe107 mtu 1476 up
ip addr replace 169.254.1.174/30 dev gre-pe107
for address in $(ip -4 -o addr show dev gre-pe107 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.174/30 ] || ip addr del "$address" dev gre-pe107
done
ip -6 addr replace fd00:6b::2/126 dev gre-pe107 nodad
for address in $(ip -6 -o addr show dev gre-pe107 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6b::2/126 ] || ip -6 addr del "$address" dev gre-pe107
done

# gre-pe108: key 1108, 192.0.2.10 -> 198.18.0.109
if ip link show dev gre-pe108 >/dev/null 2>&1; then
  ip tunnel change gre-pe108 mode gre local 192.0.2.10 remote 198.18.0.109 key 1108 ttl 255
else
  ip tunnel add gre-pe108 mode gre local 192.0.2.10 remote 198.18.0.109 key 1108 ttl 255
fi
ip link set gre-pe108 mtu 1476 up
ip addr replace 169.254.1.178/30 dev gre-pe108
for address in $(ip -4 -o addr show dev gre-pe108 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.178/30 ] || ip addr del "$address" dev gre-pe108
done
ip -6 addr replace fd00:6c::2/126 dev gre-pe108 nodad
for address in $(ip -6 -o addr show dev gre-pe108 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6c::2/126 ] || ip -6 addr del "$address" dev gre-pe108
done

# gre-pe109: key 1109, 192.0.2.10 -> 198.18.0.110
if ip link show dev gre-pe109 >/dev/null 2>&1; then
  ip tunnel change gre-pe109 mode gre local 192.0.2.10 remote 198.18.0.110 key 1109 ttl 255
else
  ip tunnel add gre-pe109 mode gre local 192.0.2.10 remote 198.18.0.110 key 1109 ttl 255
fi
ip link set gre-pe109 mtu 1476 up
ip addr replace 169.254.1.182/30 dev gre-pe109
for address in $(ip -4 -o addr show dev gre-pe109 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.182/30 ] || ip addr del "$address" dev gre-pe109
done
ip -6 addr replace fd00:6d::2/126 dev gre-pe109 nodad
for address in $(ip -6 -o addr show dev gre-pe109 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6d::2/126 ] || ip -6 addr del "$address" dev gre-pe109
done

# gre-pe11: key 1011, 192.0.2.10 -> 198.18.0.12
if ip link show dev gre-pe11 >/dev/null 2>&1; then
  ip tunnel change gre-pe11 mode gre local 192.0.2.10 remote 198.18.0.12 key 1011 ttl 255
else
  ip tunnel add gre-pe11 mode gre local 192.0.2.10 remote 198.18.0.12 key 1011 ttl 255
fi
ip link set gre-pe11 mtu 1476 up
ip addr replace 169.254.0.46/30 dev gre-pe11
for address in $(ip -4 -o addr show dev gre-pe11 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.46/30 ] || ip addr del "$address" dev gre-pe11
done
ip -6 addr replace fd00:b::2/126 dev gre-pe11 nodad
for address in $(ip -6 -o addr show dev gre-pe11 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b::2/126 ] || ip -6 addr del "$address" dev gre-pe11
done

# gre-pe110: key 1110, 192.0.2.10 -> 198.18.0.111
if ip link show dev gre-pe110 >/dev/null 2>&1; then
  ip tunnel change gre-pe110 mode gre local 192.0.2.10 remote 198.18.0.111 key 1110 ttl 255
else
  ip tunnel add gre-pe110 mode gre local 192.0.2.10 remote 198.18.0.111 key 1110 ttl 255
fi
ip link set gre-pe110 mtu 1476 up
ip addr replace 169.254.1.186/30 dev gre-pe110
for address in $(ip -4 -o addr show dev gre-pe110 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.186/30 ] || ip addr del "$address" dev gre-pe110
done
ip -6 addr replace fd00:6e::2/126 dev gre-pe110 nodad
for address in $(ip -6 -o addr show dev gre-pe110 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6e::2/126 ] || ip -6 addr del "$address" dev gre-pe110
done

# gre-pe111: key 1111, 192.0.2.10 -> 198.18.0.112
if ip link show dev gre-pe111 >/dev/null 2>&1; then
  ip tunnel change gre-pe111 mode gre local 192.0.2.10 remote 198.18.0.112 key 1111 ttl 255
else
  ip tunnel add gre-pe111 mode gre local 192.0.2.10 remote 198.18.0.112 key 1111 ttl 255
fi
ip link set gre-pe111 mtu 1476 up
ip addr replace 169.254.1.190/30 dev gre-pe111
for address in $(ip -4 -o addr show dev gre-pe111 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.190/30 ] || ip addr del "$address" dev gre-pe111
done
ip -6 addr replace fd00:6f::2/126 dev gre-pe111 nodad
for address in $(ip -6 -o addr show dev gre-pe111 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6f::2/126 ] || ip -6 addr del "$address" dev gre-pe111
done

# gre-pe112: key 1112, 192.0.2.10 -> 198.18.0.113
if ip link show dev gre-pe112 >/dev/null 2>&1; then
  ip tunnel change gre-pe112 mode gre local 192.0.2.10 remote 198.18.0.113 key 1112 ttl 255
else
  ip tunnel add gre-pe112 mode gre local 192.0.2.10 remote 198.18.0.113 key 1112 ttl 255
fi
ip link set gre-pe112 mtu 1476 up
ip addr replace 169.254.1.194/30 dev gre-pe112
for address in $(ip -4 -o addr show dev gre-pe112 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.194/30 ] || ip addr del "$address" dev gre-pe112
done
ip -6 addr replace fd00:70::2/126 dev gre-pe112 nodad
for address in $(ip -6 -o addr show dev gre-pe112 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:70::2/126 ] || ip -6 addr del "$address" dev gre-pe112
done

# gre-pe113: key 1113, 192.0.2.10 -> 198.18.0.114
if ip link show dev gre-pe113 >/dev/null 2>&1; then
  ip tunnel change gre-pe113 mode gre local 192.0.2.10 remote 198.18.0.114 key 1113 ttl 255
else
  ip tunnel add gre-pe113 mode gre local 192.0.2.10 remote 198.18.0.114 key 1113 ttl 255
fi
ip link set gre-pe113 mtu 1476 up
ip addr replace 169.254.1.198/30 dev gre-pe113
for address in $(ip -4 -o addr show dev gre-pe113 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.198/30 ] || ip addr del "$address" dev gre-pe113
done
ip -6 addr replace fd00:71::2/126 dev gre-pe113 nodad
for address in $(ip -6 -o addr show dev gre-pe113 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:71::2/126 ] || ip -6 addr del "$address" dev gre-pe113
done

# gre-pe114: key 1114, 192.0.2.10 -> 198.18.0.115
if ip link show dev gre-pe114 >/dev/null 2>&1; then
  ip tunnel change gre-pe114 mode gre local 192.0.2.10 remote 198.18.0.115 key 1114 ttl 255
else
  ip tunnel add gre-pe114 mode gre local 192.0.2.10 remote 198.18.0.115 key 1114 ttl 255
fi
ip link set gre-pe114 mtu 1476 up
ip addr replace 169.254.1.202/30 dev gre-pe114
for address in $(ip -4 -o addr show dev gre-pe114 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.202/30 ] || ip addr del "$address" dev gre-pe114
done
ip -6 addr replace fd00:72::2/126 dev gre-pe114 nodad
for address in $(ip -6 -o addr show dev gre-pe114 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:72::2/126 ] || ip -6 addr del "$address" dev gre-pe114
done

# gre-pe115: key 1115, 192.0.2.10 -> 198.18.0.116
if ip link show dev gre-pe115 >/dev/null 2>&1; then
  ip tunnel change gre-pe115 mode gre local 192.0.2.10 remote 198.18.0.116 key 1115 ttl 255
else
  ip tunnel add gre-pe115 mode gre local 192.0.2.10 remote 198.18.0.116 key 1115 ttl 255
fi
ip link set gre-pe115 mtu 1476 up
ip addr replace 169.254.1.206/30 dev gre-pe115
for address in $(ip -4 -o addr show dev gre-pe115 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.206/30 ] || ip addr del "$address" dev gre-pe115
done
ip -6 addr replace fd00:73::2/126 dev gre-pe115 nodad
for address in $(ip -6 -o addr show dev gre-pe115 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:73::2/126 ] || ip -6 addr del "$address" dev gre-pe115
done

# gre-pe116: key 1116, 192.0.2.10 -> 198.18.0.117
if ip link show dev gre-pe116 >/dev/null 2>&1; then
  ip tunnel change gre-pe116 mode gre local 192.0.2.10 remote 198.18.0.117 key 1116 ttl 255
else
  ip tunnel add gre-pe116 mode gre local 192.0.2.10 remote 198.18.0.117 key 1116 ttl 255
fi
ip link set gre-pe116 mtu 1476 up
ip addr replace 169.254.1.210/30 dev gre-pe116
for address in $(ip -4 -o addr show dev gre-pe116 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.210/30 ] || ip addr del "$address" dev gre-pe116
done
ip -6 addr replace fd00:74::2/126 dev gre-pe116 nodad
for address in $(ip -6 -o addr show dev gre-pe116 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:74::2/126 ] || ip -6 addr del "$address" dev gre-pe116
done

# gre-pe117: key 1117, 192.0.2.10 -> 198.18.0.118
if ip link show dev gre-pe117 >/dev/null 2>&1; then
  ip tunnel change gre-pe117 mode gre local 192.0.2.10 remote 198.18.0.118 key 1117 ttl 255
else
  ip tunnel add gre-pe117 mode gre local 192.0.2.10 remote 198.18.0.118 key 1117 ttl 255
fi
ip link set gre-pe117 mtu 1476 up
ip addr replace 169.254.1.214/30 dev gre-pe117
for address in $(ip -4 -o addr show dev gre-pe117 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.214/30 ] || ip addr del "$address" dev gre-pe117
done
ip -6 addr replace fd00:75::2/126 dev gre-pe117 nodad
for address in $(ip -6 -o addr show dev gre-pe117 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:75::2/126 ] || ip -6 addr del "$address" dev gre-pe117
done

# gre-pe118: key 1118, 192.0.2.10 -> 198.18.0.119
if ip link show dev gre-pe118 >/dev/null 2>&1; then
  ip tunnel change gre-pe118 mode gre local 192.0.2.10 remote 198.18.0.119 key 1118 ttl 255
else
  ip tunnel add gre-pe118 mode gre local 192.0.2.10 remote 198.18.0.119 key 1118 ttl 255
fi
ip link set gre-pe118 mtu 1476 up
ip addr replace 169.254.1.218/30 dev gre-pe118
for address in $(ip -4 -o addr show dev gre-pe118 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.218/30 ] || ip addr del "$address" dev gre-pe118
done
ip -6 addr replace fd00:76::2/126 dev gre-pe118 nodad
for address in $(ip -6 -o addr show dev gre-pe118 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:76::2/126 ] || ip -6 addr del "$address" dev gre-pe118
done

# gre-pe119: key 1119, 192.0.2.10 -> 198.18.0.120
if ip link show dev gre-pe119 >/dev/null 2>&1; then
  ip tunnel change gre-pe119 mode gre local 192.0.2.10 remote 198.18.0.120 key 1119 ttl 255
else
  ip tunnel add gre-pe119 mode gre local 192.0.2.10 remote 198.18.0.120 key 1119 ttl 255
fi
ip link set gre-pe119 mtu 1476 up
ip addr replace 169.254.1.222/30 dev gre-pe119
for address in $(ip -4 -o addr show dev gre-pe119 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.222/30 ] || ip addr del "$address" dev gre-pe119
done
ip -6 addr replace fd00:77::2/126 dev gre-pe119 nodad
for address in $(ip -6 -o addr show dev gre-pe119 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:77::2/126 ] || ip -6 addr del "$address" dev gre-pe119
done

# gre-pe12: key 1012, 192.0.2.10 -> 198.18.0.13
if ip link show dev gre-pe12 >/dev/null 2>&1; then
  ip tunnel change gre-pe12 mode gre local 192.0.2.10 remote 198.18.0.13 key 1012 ttl 255
else
  ip tunnel add gre-pe12 mode gre local 192.0.2.10 remote 198.18.0.13 key 1012 ttl 255
fi
ip link set gre-pe12 mtu 1476 up
ip addr replace 169.254.0.50/30 dev gre-pe12
for address in $(ip -4 -o addr show dev gre-pe12 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.50/30 ] || ip addr del "$address" dev gre-pe12
done
ip -6 addr replace fd00:c::2/126 dev gre-pe12 nodad
for address in $(ip -6 -o addr show dev gre-pe12 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c::2/126 ] || ip -6 addr del "$address" dev gre-pe12
done

# gre-pe120: key 1120, 192.0.2.10 -> 198.18.0.121
if ip link show dev gre-pe120 >/dev/null 2>&1; then
  ip tunnel change gre-pe120 mode gre local 192.0.2.10 remote 198.18.0.121 key 1120 ttl 255
else
  ip tunnel add gre-pe120 mode gre local 192.0.2.10 remote 198.18.0.121 key 1120 ttl 255
fi
ip link set gre-pe120 mtu 1476 up
ip addr replace 169.254.1.226/30 dev gre-pe120
for address in $(ip -4 -o addr show dev gre-pe120 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.226/30 ] || ip addr del "$address" dev gre-pe120
done
ip -6 addr replace fd00:78::2/126 dev gre-pe120 nodad
for address in $(ip -6 -o addr show dev gre-pe120 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:78::2/126 ] || ip -6 addr del "$address" dev gre-pe120
done

# gre-pe121: key 1121, 192.0.2.10 -> 198.18.0.122
if ip link show dev gre-pe121 >/dev/null 2>&1; then
  ip tunnel change gre-pe121 mode gre local 192.0.2.10 remote 198.18.0.122 key 1121 ttl 255
else
  ip tunnel add gre-pe121 mode gre local 192.0.2.10 remote 198.18.0.122 key 1121 ttl 255
fi
ip link set gre-pe121 mtu 1476 up
ip addr replace 169.254.1.230/30 dev gre-pe121
for address in $(ip -4 -o addr show dev gre-pe121 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.230/30 ] || ip addr del "$address" dev gre-pe121
done
ip -6 addr replace fd00:79::2/126 dev gre-pe121 nodad
for address in $(ip -6 -o addr show dev gre-pe121 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:79::2/126 ] || ip -6 addr del "$address" dev gre-pe121
done

# gre-pe122: key 1122, 192.0.2.10 -> 198.18.0.123
if ip link show dev gre-pe122 >/dev/null 2>&1; then
  ip tunnel change gre-pe122 mode gre local 192.0.2.10 remote 198.18.0.123 key 1122 ttl 255
else
  ip tunnel add gre-pe122 mode gre local 192.0.2.10 remote 198.18.0.123 key 1122 ttl 255
fi
ip link set gre-pe122 mtu 1476 up
ip addr replace 169.254.1.234/30 dev gre-pe122
for address in $(ip -4 -o addr show dev gre-pe122 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.234/30 ] || ip addr del "$address" dev gre-pe122
done
ip -6 addr replace fd00:7a::2/126 dev gre-pe122 nodad
for address in $(ip -6 -o addr show dev gre-pe122 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7a::2/126 ] || ip -6 addr del "$address" dev gre-pe122
done

# gre-pe123: key 1123, 192.0.2.10 -> 198.18.0.124
if ip link show dev gre-pe123 >/dev/null 2>&1; then
  ip tunnel change gre-pe123 mode gre local 192.0.2.10 remote 198.18.0.124 key 1123 ttl 255
else
  ip tunnel add gre-pe123 mode gre local 192.0.2.10 remote 198.18.0.124 key 1123 ttl 255
fi
ip link set gre-pe123 mtu 1476 up
ip addr replace 169.254.1.238/30 dev gre-pe123
for address in $(ip -4 -o addr show dev gre-pe123 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.238/30 ] || ip addr del "$address" dev gre-pe123
done
ip -6 addr replace fd00:7b::2/126 dev gre-pe123 nodad
for address in $(ip -6 -o addr show dev gre-pe123 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7b::2/126 ] || ip -6 addr del "$address" dev gre-pe123
done

# gre-pe124: key 1124, 192.0.2.10 -> 198.18.0.125
if ip link show dev gre-pe124 >/dev/null 2>&1; then
  ip tunnel change gre-pe124 mode gre local 192.0.2.10 remote 198.18.0.125 key 1124 ttl 255
else
  ip tunnel add gre-pe124 mode gre local 192.0.2.10 remote 198.18.0.125 key 1124 ttl 255
fi
ip link set gre-pe124 mtu 1476 up
ip addr replace 169.254.1.242/30 dev gre-pe124
for address in $(ip -4 -o addr show dev gre-pe124 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.242/30 ] || ip addr del "$address" dev gre-pe124
done
ip -6 addr replace fd00:7c::2/126 dev gre-pe124 nodad
for address in $(ip -6 -o addr show dev gre-pe124 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7c::2/126 ] || ip -6 addr del "$address" dev gre-pe124
done

# gre-pe125: key 1125, 192.0.2.10 -> 198.18.0.126
if ip link show dev gre-pe125 >/dev/null 2>&1; then
  ip tunnel change gre-pe125 mode gre local 192.0.2.10 remote 198.18.0.126 key 1125 ttl 255
else
  ip tunnel add gre-pe125 mode gre local 192.0.2.10 remote 198.18.0.126 key 1125 ttl 255
fi
ip link set gre-pe125 mtu 1476 up
ip addr replace 169.254.1.246/30 dev gre-pe125
for address in $(ip -4 -o addr show dev gre-pe125 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.246/30 ] || ip addr del "$address" dev gre-pe125
done
ip -6 addr replace fd00:7d::2/126 dev gre-pe125 nodad
for address in $(ip -6 -o addr show dev gre-pe125 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7d::2/126 ] || ip -6 addr del "$address" dev gre-pe125
done

# gre-pe126: key 1126, 192.0.2.10 -> 198.18.0.127
if ip link show dev gre-pe126 >/dev/null 2>&1; then
  ip tunnel change gre-pe126 mode gre local 192.0.2.10 remote 198.18.0.127 key 1126 ttl 255
else
  ip tunnel add gre-pe126 mode gre local 192.0.2.10 remote 198.18.0.127 key 1126 ttl 255
fi
ip link set gre-pe126 mtu 1476 up
ip addr replace 169.254.1.250/30 dev gre-pe126
for address in $(ip -4 -o addr show dev gre-pe126 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.250/30 ] || ip addr del "$address" dev gre-pe126
done
ip -6 addr replace fd00:7e::2/126 dev gre-pe126 nodad
for address in $(ip -6 -o addr show dev gre-pe126 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7e::2/126 ] || ip -6 addr del "$address" dev gre-pe126
done

# gre-pe127: key 1127, 192.0.2.10 -> 198.18.0.128
if ip link show dev gre-pe127 >/dev/null 2>&1; then
  ip tunnel change gre-pe127 mode gre local 192.0.2.10 remote 198.18.0.128 key 1127 ttl 255
else
  ip tunnel add gre-pe127 mode gre local 192.0.2.10 remote 198.18.0.128 key 1127 ttl 255
fi
ip link set gre-pe127 mtu 1476 up
ip addr replace 169.254.1.254/30 dev gre-pe127
for address in $(ip -4 -o addr show dev gre-pe127 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.254/30 ] || ip addr del "$address" dev gre-pe127
done
ip -6 addr replace fd00:7f::2/126 dev gre-pe127 nodad
for address in $(ip -6 -o addr show dev gre-pe127 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7f::2/126 ] || ip -6 addr del "$address" dev gre-pe127
done

# gre-pe128: key 1128, 192.0.2.10 -> 198.18.0.129
if ip link show dev gre-pe128 >/dev/null 2>&1; then
  ip tunnel change gre-pe128 mode gre local 192.0.2.10 remote 198.18.0.129 key 1128 ttl 255
else
  ip tunnel add gre-pe128 mode gre local 192.0.2.10 remote 198.18.0.129 key 1128 ttl 255
fi
ip link set gre-pe128 mtu 1476 up
ip addr replace 169.254.2.2/30 dev gre-pe128
for address in $(ip -4 -o addr show dev gre-pe128 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.2/30 ] || ip addr del "$address" dev gre-pe128
done
ip -6 addr replace fd00:80::2/126 dev gre-pe128 nodad
for address in $(ip -6 -o addr show dev gre-pe128 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:80::2/126 ] || ip -6 addr del "$address" dev gre-pe128
done

# gre-pe129: key 1129, 192.0.2.10 -> 198.18.0.130
if ip link show dev gre-pe129 >/dev/null 2>&1; then
  ip tunnel change gre-pe129 mode gre local 192.0.2.10 remote 198.18.0.130 key 1129 ttl 255
else
  ip tunnel add gre-pe129 mode gre local 192.0.2.10 remote 198.18.0.130 key 1129 ttl 255
fi
ip link set gre-pe129 mtu 1476 up
ip addr replace 169.254.2.6/30 dev gre-pe129
for address in $(ip -4 -o addr show dev gre-pe129 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.6/30 ] || ip addr del "$address" dev gre-pe129
done
ip -6 addr replace fd00:81::2/126 dev gre-pe129 nodad
for address in $(ip -6 -o addr show dev gre-pe129 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:81::2/126 ] || ip -6 addr del "$address" dev gre-pe129
done

# gre-pe13: key 1013, 192.0.2.10 -> 198.18.0.14
if ip link show dev gre-pe13 >/dev/null 2>&1; then
  ip tunnel change gre-pe13 mode gre local 192.0.2.10 remote 198.18.0.14 key 1013 ttl 255
else
  ip tunnel add gre-pe13 mode gre local 192.0.2.10 remote 198.18.0.14 key 1013 ttl 255
fi
ip link set gre-pe13 mtu 1476 up
ip addr replace 169.254.0.54/30 dev gre-pe13
for address in $(ip -4 -o addr show dev gre-pe13 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.54/30 ] || ip addr del "$address" dev gre-pe13
done
ip -6 addr replace fd00:d::2/126 dev gre-pe13 nodad
for address in $(ip -6 -o addr show dev gre-pe13 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d::2/126 ] || ip -6 addr del "$address" dev gre-pe13
done

# gre-pe130: key 1130, 192.0.2.10 -> 198.18.0.131
if ip link show dev gre-pe130 >/dev/null 2>&1; then
  ip tunnel change gre-pe130 mode gre local 192.0.2.10 remote 198.18.0.131 key 1130 ttl 255
else
  ip tunnel add gre-pe130 mode gre local 192.0.2.10 remote 198.18.0.131 key 1130 ttl 255
fi
ip link set gre-pe130 mtu 1476 up
ip addr replace 169.254.2.10/30 dev gre-pe130
for address in $(ip -4 -o addr show dev gre-pe130 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.10/30 ] || ip addr del "$address" dev gre-pe130
done
ip -6 addr replace fd00:82::2/126 dev gre-pe130 nodad
for address in $(ip -6 -o addr show dev gre-pe130 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:82::2/126 ] || ip -6 addr del "$address" dev gre-pe130
done

# gre-pe131: key 1131, 192.0.2.10 -> 198.18.0.132
if ip link show dev gre-pe131 >/dev/null 2>&1; then
  ip tunnel change gre-pe131 mode gre local 192.0.2.10 remote 198.18.0.132 key 1131 ttl 255
else
  ip tunnel add gre-pe131 mode gre local 192.0.2.10 remote 198.18.0.132 key 1131 ttl 255
fi
ip link set gre-pe131 mtu 1476 up
ip addr replace 169.254.2.14/30 dev gre-pe131
for address in $(ip -4 -o addr show dev gre-pe131 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.14/30 ] || ip addr del "$address" dev gre-pe131
done
ip -6 addr replace fd00:83::2/126 dev gre-pe131 nodad
for address in $(ip -6 -o addr show dev gre-pe131 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:83::2/126 ] || ip -6 addr del "$address" dev gre-pe131
done

# gre-pe132: key 1132, 192.0.2.10 -> 198.18.0.133
if ip link show dev gre-pe132 >/dev/null 2>&1; then
  ip tunnel change gre-pe132 mode gre local 192.0.2.10 remote 198.18.0.133 key 1132 ttl 255
else
  ip tunnel add gre-pe132 mode gre local 192.0.2.10 remote 198.18.0.133 key 1132 ttl 255
fi
ip link set gre-pe132 mtu 1476 up
ip addr replace 169.254.2.18/30 dev gre-pe132
for address in $(ip -4 -o addr show dev gre-pe132 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.18/30 ] || ip addr del "$address" dev gre-pe132
done
ip -6 addr replace fd00:84::2/126 dev gre-pe132 nodad
for address in $(ip -6 -o addr show dev gre-pe132 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:84::2/126 ] || ip -6 addr del "$address" dev gre-pe132
done

# gre-pe133: key 1133, 192.0.2.10 -> 198.18.0.134
if ip link show dev gre-pe133 >/dev/null 2>&1; then
  ip tunnel change gre-pe133 mode gre local 192.0.2.10 remote 198.18.0.134 key 1133 ttl 255
else
  ip tunnel add gre-pe133 mode gre local 192.0.2.10 remote 198.18.0.134 key 1133 ttl 255
fi
ip link set gre-pe133 mtu 1476 up
ip addr replace 169.254.2.22/30 dev gre-pe133
for address in $(ip -4 -o addr show dev gre-pe133 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.22/30 ] || ip addr del "$address" dev gre-pe133
done
ip -6 addr replace fd00:85::2/126 dev gre-pe133 nodad
for address in $(ip -6 -o addr show dev gre-pe133 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:85::2/126 ] || ip -6 addr del "$address" dev gre-pe133
done

# gre-pe134: key 1134, 192.0.2.10 -> 198.18.0.135
if ip link show dev gre-pe134 >/dev/null 2>&1; then
  ip tunnel change gre-pe134 mode gre local 192.0.2.10 remote 198.18.0.135 key 1134 ttl 255
else
  ip tunnel add gre-pe134 mode gre local 192.0.2.10 remote 198.18.0.135 key 1134 ttl 255
fi
ip link set gre-pe134 mtu 1476 up
ip addr replace 169.254.2.26/30 dev gre-pe134
for address in $(ip -4 -o addr show dev gre-pe134 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.26/30 ] || ip addr del "$address" dev gre-pe134
done
ip -6 addr replace fd00:86::2/126 dev gre-pe134 nodad
for address in $(ip -6 -o addr show dev gre-pe134 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:86::2/126 ] || ip -6 addr del "$address" dev gre-pe134
done

# gre-pe135: key 1135, 192.0.2.10 -> 198.18.0.136
if ip link show dev gre-pe135 >/dev/null 2>&1; then
  ip tunnel change gre-pe135 mode gre local 192.0.2.10 remote 198.18.0.136 key 1135 ttl 255
else
  ip tunnel add gre-pe135 mode gre local 192.0.2.10 remote 198.18.0.136 key 1135 ttl 255
fi
ip link set gre-pe135 mtu 1476 up
ip addr replace 169.254.2.30/30 dev gre-pe135
for address in $(ip -4 -o addr show dev gre-pe135 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.30/30 ] || ip addr del "$address" dev gre-pe135
done
ip -6 addr replace fd00:87::2/126 dev gre-pe135 nodad
for address in $(ip -6 -o addr show dev gre-pe135 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:87::2/126 ] || ip -6 addr del "$address" dev gre-pe135
done

# gre-pe136: key 1136, 192.0.2.10 -> 198.18.0.137
if ip link show dev gre-pe136 >/dev/null 2>&1; then
  ip tunnel change gre-pe136 mode gre local 192.0.2.10 remote 198.18.0.137 key 1136 ttl 255
else
  ip tunnel add gre-pe136 mode gre local 192.0.2.10 remote 198.18.0.137 key 1136 ttl 255
fi
ip link set gre-pe136 mtu 1476 up
ip addr replace 169.254.2.34/30 dev gre-pe136
for address in $(ip -4 -o addr show dev gre-pe136 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.34/30 ] || ip addr del "$address" dev gre-pe136
done
ip -6 addr replace fd00:88::2/126 dev gre-pe136 nodad
for address in $(ip -6 -o addr show dev gre-pe136 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:88::2/126 ] || ip -6 addr del "$address" dev gre-pe136
done

# gre-pe137: key 1137, 192.0.2.10 -> 198.18.0.138
if ip link show dev gre-pe137 >/dev/null 2>&1; then
  ip tunnel change gre-pe137 mode gre local 192.0.2.10 remote 198.18.0.138 key 1137 ttl 255
else
  ip tunnel add gre-pe137 mode gre local 192.0.2.10 remote 198.18.0.138 key 1137 ttl 255
fi
ip link set gre-pe137 mtu 1476 up
ip addr replace 169.254.2.38/30 dev gre-pe137
for address in $(ip -4 -o addr show dev gre-pe137 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.38/30 ] || ip addr del "$address" dev gre-pe137
done
ip -6 addr replace fd00:89::2/126 dev gre-pe137 nodad
for address in $(ip -6 -o addr show dev gre-pe137 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:89::2/126 ] || ip -6 addr del "$address" dev gre-pe137
done

# gre-pe138: key 1138, 192.0.2.10 -> 198.18.0.139
if ip link show dev gre-pe138 >/dev/null 2>&1; then
  ip tunnel change gre-pe138 mode gre local 192.0.2.10 remote 198.18.0.139 key 1138 ttl 255
else
  ip tunnel add gre-pe138 mode gre local 192.0.2.10 remote 198.18.0.139 key 1138 ttl 255
fi
ip link set gre-pe138 mtu 1476 up
ip addr replace 169.254.2.42/30 dev gre-pe138
for address in $(ip -4 -o addr show dev gre-pe138 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.42/30 ] || ip addr del "$address" dev gre-pe138
done
ip -6 addr replace fd00:8a::2/126 dev gre-pe138 nodad
for address in $(ip -6 -o addr show dev gre-pe138 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8a::2/126 ] || ip -6 addr del "$address" dev gre-pe138
done

# gre-pe139: key 1139, 192.0.2.10 -> 198.18.0.140
if ip link show dev gre-pe139 >/dev/null 2>&1; then
  ip tunnel change gre-pe139 mode gre local 192.0.2.10 remote 198.18.0.140 key 1139 ttl 255
else
  ip tunnel add gre-pe139 mode gre local 192.0.2.10 remote 198.18.0.140 key 1139 ttl 255
fi
ip link set gre-pe139 mtu 1476 up
ip addr replace 169.254.2.46/30 dev gre-pe139
for address in $(ip -4 -o addr show dev gre-pe139 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.46/30 ] || ip addr del "$address" dev gre-pe139
done
ip -6 addr replace fd00:8b::2/126 dev gre-pe139 nodad
for address in $(ip -6 -o addr show dev gre-pe139 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8b::2/126 ] || ip -6 addr del "$address" dev gre-pe139
done

# gre-pe14: key 1014, 192.0.2.10 -> 198.18.0.15
if ip link show dev gre-pe14 >/dev/null 2>&1; then
  ip tunnel change gre-pe14 mode gre local 192.0.2.10 remote 198.18.0.15 key 1014 ttl 255
else
  ip tunnel add gre-pe14 mode gre local 192.0.2.10 remote 198.18.0.15 key 1014 ttl 255
fi
ip link set gre-pe14 mtu 1476 up
ip addr replace 169.254.0.58/30 dev gre-pe14
for address in $(ip -4 -o addr show dev gre-pe14 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.58/30 ] || ip addr del "$address" dev gre-pe14
done
ip -6 addr replace fd00:e::2/126 dev gre-pe14 nodad
for address in $(ip -6 -o addr show dev gre-pe14 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e::2/126 ] || ip -6 addr del "$address" dev gre-pe14
done

# gre-pe140: key 1140, 192.0.2.10 -> 198.18.0.141
if ip link show dev gre-pe140 >/dev/null 2>&1; then
  ip tunnel change gre-pe140 mode gre local 192.0.2.10 remote 198.18.0.141 key 1140 ttl 255
else
  ip tunnel add gre-pe140 mode gre local 192.0.2.10 remote 198.18.0.141 key 1140 ttl 255
fi
ip link set gre-pe140 mtu 1476 up
ip addr replace 169.254.2.50/30 dev gre-pe140
for address in $(ip -4 -o addr show dev gre-pe140 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.50/30 ] || ip addr del "$address" dev gre-pe140
done
ip -6 addr replace fd00:8c::2/126 dev gre-pe140 nodad
for address in $(ip -6 -o addr show dev gre-pe140 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8c::2/126 ] || ip -6 addr del "$address" dev gre-pe140
done

# gre-pe141: key 1141, 192.0.2.10 -> 198.18.0.142
if ip link show dev gre-pe141 >/dev/null 2>&1; then
  ip tunnel change gre-pe141 mode gre local 192.0.2.10 remote 198.18.0.142 key 1141 ttl 255
else
  ip tunnel add gre-pe141 mode gre local 192.0.2.10 remote 198.18.0.142 key 1141 ttl 255
fi
ip link set gre-pe141 mtu 1476 up
ip addr replace 169.254.2.54/30 dev gre-pe141
for address in $(ip -4 -o addr show dev gre-pe141 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.54/30 ] || ip addr del "$address" dev gre-pe141
done
ip -6 addr replace fd00:8d::2/126 dev gre-pe141 nodad
for address in $(ip -6 -o addr show dev gre-pe141 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8d::2/126 ] || ip -6 addr del "$address" dev gre-pe141
done

# gre-pe142: key 1142, 192.0.2.10 -> 198.18.0.143
if ip link show dev gre-pe142 >/dev/null 2>&1; then
  ip tunnel change gre-pe142 mode gre local 192.0.2.10 remote 198.18.0.143 key 1142 ttl 255
else
  ip tunnel add gre-pe142 mode gre local 192.0.2.10 remote 198.18.0.143 key 1142 ttl 255
fi
ip link set gre-pe142 mtu 1476 up
ip addr replace 169.254.2.58/30 dev gre-pe142
for address in $(ip -4 -o addr show dev gre-pe142 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.58/30 ] || ip addr del "$address" dev gre-pe142
done
ip -6 addr replace fd00:8e::2/126 dev gre-pe142 nodad
for address in $(ip -6 -o addr show dev gre-pe142 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8e::2/126 ] || ip -6 addr del "$address" dev gre-pe142
done

# gre-pe143: key 1143, 192.0.2.10 -> 198.18.0.144
if ip link show dev gre-pe143 >/dev/null 2>&1; then
  ip tunnel change gre-pe143 mode gre local 192.0.2.10 remote 198.18.0.144 key 1143 ttl 255
else
  ip tunnel add gre-pe143 mode gre local 192.0.2.10 remote 198.18.0.144 key 1143 ttl 255
fi
ip link set gre-pe143 mtu 1476 up
ip addr replace 169.254.2.62/30 dev gre-pe143
for address in $(ip -4 -o addr show dev gre-pe143 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.62/30 ] || ip addr del "$address" dev gre-pe143
done
ip -6 addr replace fd00:8f::2/126 dev gre-pe143 nodad
for address in $(ip -6 -o addr show dev gre-pe143 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8f::2/126 ] || ip -6 addr del "$address" dev gre-pe143
done

# gre-pe144: key 1144, 192.0.2.10 -> 198.18.0.145
if ip link show dev gre-pe144 >/dev/null 2>&1; then
  ip tunnel change gre-pe144 mode gre local 192.0.2.10 remote 198.18.0.145 key 1144 ttl 255
else
  ip tunnel add gre-pe144 mode gre local 192.0.2.10 remote 198.18.0.145 key 1144 ttl 255
fi
ip link set gre-pe144 mtu 1476 up
ip addr replace 169.254.2.66/30 dev gre-pe144
for address in $(ip -4 -o addr show dev gre-pe144 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.66/30 ] || ip addr del "$address" dev gre-pe144
done
ip -6 addr replace fd00:90::2/126 dev gre-pe144 nodad
for address in $(ip -6 -o addr show dev gre-pe144 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:90::2/126 ] || ip -6 addr del "$address" dev gre-pe144
done

# gre-pe145: key 1145, 192.0.2.10 -> 198.18.0.146
if ip link show dev gre-pe145 >/dev/null 2>&1; then
  ip tunnel change gre-pe145 mode gre local 192.0.2.10 remote 198.18.0.146 key 1145 ttl 255
else
  ip tunnel add gre-pe145 mode gre local 192.0.2.10 remote 198.18.0.146 key 1145 ttl 255
fi
ip link set gre-pe145 mtu 1476 up
ip addr replace 169.254.2.70/30 dev gre-pe145
for address in $(ip -4 -o addr show dev gre-pe145 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.70/30 ] || ip addr del "$address" dev gre-pe145
done
ip -6 addr replace fd00:91::2/126 dev gre-pe145 nodad
for address in $(ip -6 -o addr show dev gre-pe145 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:91::2/126 ] || ip -6 addr del "$address" dev gre-pe145
done

# gre-pe146: key 1146, 192.0.2.10 -> 198.18.0.147
if ip link show dev gre-pe146 >/dev/null 2>&1; then
  ip tunnel change gre-pe146 mode gre local 192.0.2.10 remote 198.18.0.147 key 1146 ttl 255
else
  ip tunnel add gre-pe146 mode gre local 192.0.2.10 remote 198.18.0.147 key 1146 ttl 255
fi
ip link set gre-pe146 mtu 1476 up
ip addr replace 169.254.2.74/30 dev gre-pe146
for address in $(ip -4 -o addr show dev gre-pe146 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.74/30 ] || ip addr del "$address" dev gre-pe146
done
ip -6 addr replace fd00:92::2/126 dev gre-pe146 nodad
for address in $(ip -6 -o addr show dev gre-pe146 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:92::2/126 ] || ip -6 addr del "$address" dev gre-pe146
done

# gre-pe147: key 1147, 192.0.2.10 -> 198.18.0.148
if ip link show dev gre-pe147 >/dev/null 2>&1; then
  ip tunnel change gre-pe147 mode gre local 192.0.2.10 remote 198.18.0.148 key 1147 ttl 255
else
  ip tunnel add gre-pe147 mode gre local 192.0.2.10 remote 198.18.0.148 key 1147 ttl 255
fi
ip link set gre-pe147 mtu 1476 up
ip addr replace 169.254.2.78/30 dev gre-pe147
for address in $(ip -4 -o addr show dev gre-pe147 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.78/30 ] || ip addr del "$address" dev gre-pe147
done
ip -6 addr replace fd00:93::2/126 dev gre-pe147 nodad
for address in $(ip -6 -o addr show dev gre-pe147 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:93::2/126 ] || ip -6 addr del "$address" dev gre-pe147
done

# gre-pe148: key 1148, 192.0.2.10 -> 198.18.0.149
if ip link show dev gre-pe148 >/dev/null 2>&1; then
  ip tunnel change gre-pe148 mode gre local 192.0.2.10 remote 198.18.0.149 key 1148 ttl 255
else
  ip tunnel add gre-pe148 mode gre local 192.0.2.10 remote 198.18.0.149 key 1148 ttl 255
fi
ip link set gre-pe148 mtu 1476 up
ip addr replace 169.254.2.82/30 dev gre-pe148
for address in $(ip -4 -o addr show dev gre-pe148 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.82/30 ] || ip addr del "$address" dev gre-pe148
done
ip -6 addr replace fd00:94::2/126 dev gre-pe148 nodad
for address in $(ip -6 -o addr show dev gre-pe148 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:94::2/126 ] || ip -6 addr del "$address" dev gre-pe148
done

# gre-pe149: key 1149, 192.0.2.10 -> 198.18.0.150
if ip link show dev gre-pe149 >/dev/null 2>&1; then
  ip tunnel change gre-pe149 mode gre local 192.0.2.10 remote 198.18.0.150 key 1149 ttl 255
else
  ip tunnel add gre-pe149 mode gre local 192.0.2.10 remote 198.18.0.150 key 1149 ttl 255
fi
ip link set gre-pe149 mtu 1476 up
ip addr replace 169.254.2.86/30 dev gre-pe149
for address in $(ip -4 -o addr show dev gre-pe149 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.86/30 ] || ip addr del "$address" dev gre-pe149
done
ip -6 addr replace fd00:95::2/126 dev gre-pe149 nodad
for address in $(ip -6 -o addr show dev gre-pe149 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:95::2/126 ] || ip -6 addr del "$address" dev gre-pe149
done

# gre-pe15: key 1015, 192.0.2.10 -> 198.18.0.16
if ip link show dev gre-pe15 >/dev/null 2>&1; then
  ip tunnel change gre-pe15 mode gre local 192.0.2.10 remote 198.18.0.16 key 1015 ttl 255
else
  ip tunnel add gre-pe15 mode gre local 192.0.2.10 remote 198.18.0.16 key 1015 ttl 255
fi
ip link set gre-pe15 mtu 1476 up
ip addr replace 169.254.0.62/30 dev gre-pe15
for address in $(ip -4 -o addr show dev gre-pe15 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.62/30 ] || ip addr del "$address" dev gre-pe15
done
ip -6 addr replace fd00:f::2/126 dev gre-pe15 nodad
for address in $(ip -6 -o addr show dev gre-pe15 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f::2/126 ] || ip -6 addr del "$address" dev gre-pe15
done

# gre-pe150: key 1150, 192.0.2.10 -> 198.18.0.151
if ip link show dev gre-pe150 >/dev/null 2>&1; then
  ip tunnel change gre-pe150 mode gre local 192.0.2.10 remote 198.18.0.151 key 1150 ttl 255
else
  ip tunnel add gre-pe150 mode gre local 192.0.2.10 remote 198.18.0.151 key 1150 ttl 255
fi
ip link set gre-pe150 mtu 1476 up
ip addr replace 169.254.2.90/30 dev gre-pe150
for address in $(ip -4 -o addr show dev gre-pe150 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.90/30 ] || ip addr del "$address" dev gre-pe150
done
ip -6 addr replace fd00:96::2/126 dev gre-pe150 nodad
for address in $(ip -6 -o addr show dev gre-pe150 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:96::2/126 ] || ip -6 addr del "$address" dev gre-pe150
done

# gre-pe151: key 1151, 192.0.2.10 -> 198.18.0.152
if ip link show dev gre-pe151 >/dev/null 2>&1; then
  ip tunnel change gre-pe151 mode gre local 192.0.2.10 remote 198.18.0.152 key 1151 ttl 255
else
  ip tunnel add gre-pe151 mode gre local 192.0.2.10 remote 198.18.0.152 key 1151 ttl 255
fi
ip link set gre-pe151 mtu 1476 up
ip addr replace 169.254.2.94/30 dev gre-pe151
for address in $(ip -4 -o addr show dev gre-pe151 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.94/30 ] || ip addr del "$address" dev gre-pe151
done
ip -6 addr replace fd00:97::2/126 dev gre-pe151 nodad
for address in $(ip -6 -o addr show dev gre-pe151 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:97::2/126 ] || ip -6 addr del "$address" dev gre-pe151
done

# gre-pe152: key 1152, 192.0.2.10 -> 198.18.0.153
if ip link show dev gre-pe152 >/dev/null 2>&1; then
  ip tunnel change gre-pe152 mode gre local 192.0.2.10 remote 198.18.0.153 key 1152 ttl 255
else
  ip tunnel add gre-pe152 mode gre local 192.0.2.10 remote 198.18.0.153 key 1152 ttl 255
fi
ip link set gre-pe152 mtu 1476 up
ip addr replace 169.254.2.98/30 dev gre-pe152
for address in $(ip -4 -o addr show dev gre-pe152 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.98/30 ] || ip addr del "$address" dev gre-pe152
done
ip -6 addr replace fd00:98::2/126 dev gre-pe152 nodad
for address in $(ip -6 -o addr show dev gre-pe152 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:98::2/126 ] || ip -6 addr del "$address" dev gre-pe152
done

# gre-pe153: key 1153, 192.0.2.10 -> 198.18.0.154
if ip link show dev gre-pe153 >/dev/null 2>&1; then
  ip tunnel change gre-pe153 mode gre local 192.0.2.10 remote 198.18.0.154 key 1153 ttl 255
else
  ip tunnel add gre-pe153 mode gre local 192.0.2.10 remote 198.18.0.154 key 1153 ttl 255
fi
ip link set gre-pe153 mtu 1476 up
ip addr replace 169.254.2.102/30 dev gre-pe153
for address in $(ip -4 -o addr show dev gre-pe153 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.102/30 ] || ip addr del "$address" dev gre-pe153
done
ip -6 addr replace fd00:99::2/126 dev gre-pe153 nodad
for address in $(ip -6 -o addr show dev gre-pe153 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:99::2/126 ] || ip -6 addr del "$address" dev gre-pe153
done

# gre-pe154: key 1154, 192.0.2.10 -> 198.18.0.155
if ip link show dev gre-pe154 >/dev/null 2>&1; then
  ip tunnel change gre-pe154 mode gre local 192.0.2.10 remote 198.18.0.155 key 1154 ttl 255
else
  ip tunnel add gre-pe154 mode gre local 192.0.2.10 remote 198.18.0.155 key 1154 ttl 255
fi
ip link set gre-pe154 mtu 1476 up
ip addr replace 169.254.2.106/30 dev gre-pe154
for address in $(ip -4 -o addr show dev gre-pe154 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.106/30 ] || ip addr del "$address" dev gre-pe154
done
ip -6 addr replace fd00:9a::2/126 dev gre-pe154 nodad
for address in $(ip -6 -o addr show dev gre-pe154 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9a::2/126 ] || ip -6 addr del "$address" dev gre-pe154
done

# gre-pe155: key 1155, 192.0.2.10 -> 198.18.0.156
if ip link show dev gre-pe155 >/dev/null 2>&1; then
  ip tunnel change gre-pe155 mode gre local 192.0.2.10 remote 198.18.0.156 key 1155 ttl 255
else
  ip tunnel add gre-pe155 mode gre local 192.0.2.10 remote 198.18.0.156 key 1155 ttl 255
fi
ip link set gre-pe155 mtu 1476 up
ip addr replace 169.254.2.110/30 dev gre-pe155
for address in $(ip -4 -o addr show dev gre-pe155 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.110/30 ] || ip addr del "$address" dev gre-pe155
done
ip -6 addr replace fd00:9b::2/126 dev gre-pe155 nodad
for address in $(ip -6 -o addr show dev gre-pe155 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9b::2/126 ] || ip -6 addr del "$address" dev gre-pe155
done

# gre-pe156: key 1156, 192.0.2.10 -> 198.18.0.157
if ip link show dev gre-pe156 >/dev/null 2>&1; then
  ip tunnel change gre-pe156 mode gre local 192.0.2.10 remote 198.18.0.157 key 1156 ttl 255
else
  ip tunnel add gre-pe156 mode gre local 192.0.2.10 remote 198.18.0.157 key 1156 ttl 255
fi
ip link set gre-pe156 mtu 1476 up
ip addr replace 169.254.2.114/30 dev gre-pe156
for address in $(ip -4 -o addr show dev gre-pe156 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.114/30 ] || ip addr del "$address" dev gre-pe156
done
ip -6 addr replace fd00:9c::2/126 dev gre-pe156 nodad
for address in $(ip -6 -o addr show dev gre-pe156 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9c::2/126 ] || ip -6 addr del "$address" dev gre-pe156
done

# gre-pe157: key 1157, 192.0.2.10 -> 198.18.0.158
if ip link show dev gre-pe157 >/dev/null 2>&1; then
  ip tunnel change gre-pe157 mode gre local 192.0.2.10 remote 198.18.0.158 key 1157 ttl 255
else
  ip tunnel add gre-pe157 mode gre local 192.0.2.10 remote 198.18.0.158 key 1157 ttl 255
fi
ip link set gre-pe157 mtu 1476 up
ip addr replace 169.254.2.118/30 dev gre-pe157
for address in $(ip -4 -o addr show dev gre-pe157 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.118/30 ] || ip addr del "$address" dev gre-pe157
done
ip -6 addr replace fd00:9d::2/126 dev gre-pe157 nodad
for address in $(ip -6 -o addr show dev gre-pe157 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9d::2/126 ] || ip -6 addr del "$address" dev gre-pe157
done

# gre-pe158: key 1158, 192.0.2.10 -> 198.18.0.159
if ip link show dev gre-pe158 >/dev/null 2>&1; then
  ip tunnel change gre-pe158 mode gre local 192.0.2.10 remote 198.18.0.159 key 1158 ttl 255
else
  ip tunnel add gre-pe158 mode gre local 192.0.2.10 remote 198.18.0.159 key 1158 ttl 255
fi
ip link set gre-pe158 mtu 1476 up
ip addr replace 169.254.2.122/30 dev gre-pe158
for address in $(ip -4 -o addr show dev gre-pe158 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.122/30 ] || ip addr del "$address" dev gre-pe158
done
ip -6 addr replace fd00:9e::2/126 dev gre-pe158 nodad
for address in $(ip -6 -o addr show dev gre-pe158 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9e::2/126 ] || ip -6 addr del "$address" dev gre-pe158
done

# gre-pe159: key 1159, 192.0.2.10 -> 198.18.0.160
if ip link show dev gre-pe159 >/dev/null 2>&1; then
  ip tunnel change gre-pe159 mode gre local 192.0.2.10 remote 198.18.0.160 key 1159 ttl 255
else
  ip tunnel add gre-pe159 mode gre local 192.0.2.10 remote 198.18.0.160 key 1159 ttl 255
fi
ip link set gre-pe159 mtu 1476 up
ip addr replace 169.254.2.126/30 dev gre-pe159
for address in $(ip -4 -o addr show dev gre-pe159 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.126/30 ] || ip addr del "$address" dev gre-pe159
done
ip -6 addr replace fd00:9f::2/126 dev gre-pe159 nodad
for address in $(ip -6 -o addr show dev gre-pe159 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9f::2/126 ] || ip -6 addr del "$address" dev gre-pe159
done

# gre-pe16: key 1016, 192.0.2.10 -> 198.18.0.17
if ip link show dev gre-pe16 >/dev/null 2>&1; then
  ip tunnel change gre-pe16 mode gre local 192.0.2.10 remote 198.18.0.17 key 1016 ttl 255
else
  ip tunnel add gre-pe16 mode gre local 192.0.2.10 remote 198.18.0.17 key 1016 ttl 255
fi
ip link set gre-pe16 mtu 1476 up
ip addr replace 169.254.0.66/30 dev gre-pe16
for address in $(ip -4 -o addr show dev gre-pe16 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.66/30 ] || ip addr del "$address" dev gre-pe16
done
ip -6 addr replace fd00:10::2/126 dev gre-pe16 nodad
for address in $(ip -6 -o addr show dev gre-pe16 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:10::2/126 ] || ip -6 addr del "$address" dev gre-pe16
done

# gre-pe160: key 1160, 192.0.2.10 -> 198.18.0.161
if ip link show dev gre-pe160 >/dev/null 2>&1; then
  ip tunnel change gre-pe160 mode gre local 192.0.2.10 remote 198.18.0.161 key 1160 ttl 255
else
  ip tunnel add gre-pe160 mode gre local 192.0.2.10 remote 198.18.0.161 key 1160 ttl 255
fi
ip link set gre-pe160 mtu 1476 up
ip addr replace 169.254.2.130/30 dev gre-pe160
for address in $(ip -4 -o addr show dev gre-pe160 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.130/30 ] || ip addr del "$address" dev gre-pe160
done
ip -6 addr replace fd00:a0::2/126 dev gre-pe160 nodad
for address in $(ip -6 -o addr show dev gre-pe160 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a0::2/126 ] || ip -6 addr del "$address" dev gre-pe160
done

# gre-pe161: key 1161, 192.0.2.10 -> 198.18.0.162
if ip link show dev gre-pe161 >/dev/null 2>&1; then
  ip tunnel change gre-pe161 mode gre local 192.0.2.10 remote 198.18.0.162 key 1161 ttl 255
else
  ip tunnel add gre-pe161 mode gre local 192.0.2.10 remote 198.18.0.162 key 1161 ttl 255
fi
ip link set gre-pe161 mtu 1476 up
ip addr replace 169.254.2.134/30 dev gre-pe161
for address in $(ip -4 -o addr show dev gre-pe161 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.134/30 ] || ip addr del "$address" dev gre-pe161
done
ip -6 addr replace fd00:a1::2/126 dev gre-pe161 nodad
for address in $(ip -6 -o addr show dev gre-pe161 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a1::2/126 ] || ip -6 addr del "$address" dev gre-pe161
done

# gre-pe162: key 1162, 192.0.2.10 -> 198.18.0.163
if ip link show dev gre-pe162 >/dev/null 2>&1; then
  ip tunnel change gre-pe162 mode gre local 192.0.2.10 remote 198.18.0.163 key 1162 ttl 255
else
  ip tunnel add gre-pe162 mode gre local 192.0.2.10 remote 198.18.0.163 key 1162 ttl 255
fi
ip link set gre-pe162 mtu 1476 up
ip addr replace 169.254.2.138/30 dev gre-pe162
for address in $(ip -4 -o addr show dev gre-pe162 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.138/30 ] || ip addr del "$address" dev gre-pe162
done
ip -6 addr replace fd00:a2::2/126 dev gre-pe162 nodad
for address in $(ip -6 -o addr show dev gre-pe162 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a2::2/126 ] || ip -6 addr del "$address" dev gre-pe162
done

# gre-pe163: key 1163, 192.0.2.10 -> 198.18.0.164
if ip link show dev gre-pe163 >/dev/null 2>&1; then
  ip tunnel change gre-pe163 mode gre local 192.0.2.10 remote 198.18.0.164 key 1163 ttl 255
else
  ip tunnel add gre-pe163 mode gre local 192.0.2.10 remote 198.18.0.164 key 1163 ttl 255
fi
ip link set gre-pe163 mtu 1476 up
ip addr replace 169.254.2.142/30 dev gre-pe163
for address in $(ip -4 -o addr show dev gre-pe163 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.142/30 ] || ip addr del "$address" dev gre-pe163
done
ip -6 addr replace fd00:a3::2/126 dev gre-pe163 nodad
for address in $(ip -6 -o addr show dev gre-pe163 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a3::2/126 ] || ip -6 addr del "$address" dev gre-pe163
done

# gre-pe164: key 1164, 192.0.2.10 -> 198.18.0.165
if ip link show dev gre-pe164 >/dev/null 2>&1; then
  ip tunnel change gre-pe164 mode gre local 192.0.2.10 remote 198.18.0.165 key 1164 ttl 255
else
  ip tunnel add gre-pe164 mode gre local 192.0.2.10 remote 198.18.0.165 key 1164 ttl 255
fi
ip link set gre-pe164 mtu 1476 up
ip addr replace 169.254.2.146/30 dev gre-pe164
for address in $(ip -4 -o addr show dev gre-pe164 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.146/30 ] || ip addr del "$address" dev gre-pe164
done
ip -6 addr replace fd00:a4::2/126 dev gre-pe164 nodad
for address in $(ip -6 -o addr show dev gre-pe164 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a4::2/126 ] || ip -6 addr del "$address" dev gre-pe164
done

# gre-pe165: key 1165, 192.0.2.10 -> 198.18.0.166
if ip link show dev gre-pe165 >/dev/null 2>&1; then
  ip tunnel change gre-pe165 mode gre local 192.0.2.10 remote 198.18.0.166 key 1165 ttl 255
else
  ip tunnel add gre-pe165 mode gre local 192.0.2.10 remote 198.18.0.166 key 1165 ttl 255
fi
ip link set gre-pe165 mtu 1476 up
ip addr replace 169.254.2.150/30 dev gre-pe165
for address in $(ip -4 -o addr show dev gre-pe165 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.150/30 ] || ip addr del "$address" dev gre-pe165
done
ip -6 addr replace fd00:a5::2/126 dev gre-pe165 nodad
for address in $(ip -6 -o addr show dev gre-pe165 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a5::2/126 ] || ip -6 addr del "$address" dev gre-pe165
done

# gre-pe166: key 1166, 192.0.2.10 -> 198.18.0.167
if ip link show dev gre-pe166 >/dev/null 2>&1; then
  ip tunnel change gre-pe166 mode gre local 192.0.2.10 remote 198.18.0.167 key 1166 ttl 255
else
  ip tunnel add gre-pe166 mode gre local 192.0.2.10 remote 198.18.0.167 key 1166 ttl 255
fi
ip link set gre-pe166 mtu 1476 up
ip addr replace 169.254.2.154/30 dev gre-pe166
for address in $(ip -4 -o addr show dev gre-pe166 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.154/30 ] || ip addr del "$address" dev gre-pe166
done
ip -6 addr replace fd00:a6::2/126 dev gre-pe166 nodad
for address in $(ip -6 -o addr show dev gre-pe166 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a6::2/126 ] || ip -6 addr del "$address" dev gre-pe166
done

# gre-pe167: key 1167, 192.0.2.10 -> 198.18.0.168
if ip link show dev gre-pe167 >/dev/null 2>&1; then
  ip tunnel change gre-pe167 mode gre local 192.0.2.10 remote 198.18.0.168 key 1167 ttl 255
else
  ip tunnel add gre-pe167 mode gre local 192.0.2.10 remote 198.18.0.168 key 1167 ttl 255
fi
ip link set gre-pe167 mtu 1476 up
ip addr replace 169.254.2.158/30 dev gre-pe167
for address in $(ip -4 -o addr show dev gre-pe167 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.158/30 ] || ip addr del "$address" dev gre-pe167
done
ip -6 addr replace fd00:a7::2/126 dev gre-pe167 nodad
for address in $(ip -6 -o addr show dev gre-pe167 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a7::2/126 ] || ip -6 addr del "$address" dev gre-pe167
done

# gre-pe168: key 1168, 192.0.2.10 -> 198.18.0.169
if ip link show dev gre-pe168 >/dev/null 2>&1; then
  ip tunnel change gre-pe168 mode gre local 192.0.2.10 remote 198.18.0.169 key 1168 ttl 255
else
  ip tunnel add gre-pe168 mode gre local 192.0.2.10 remote 198.18.0.169 key 1168 ttl 255
fi
ip link set gre-pe168 mtu 1476 up
ip addr replace 169.254.2.162/30 dev gre-pe168
for address in $(ip -4 -o addr show dev gre-pe168 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.162/30 ] || ip addr del "$address" dev gre-pe168
done
ip -6 addr replace fd00:a8::2/126 dev gre-pe168 nodad
for address in $(ip -6 -o addr show dev gre-pe168 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a8::2/126 ] || ip -6 addr del "$address" dev gre-pe168
done

# gre-pe169: key 1169, 192.0.2.10 -> 198.18.0.170
if ip link show dev gre-pe169 >/dev/null 2>&1; then
  ip tunnel change gre-pe169 mode gre local 192.0.2.10 remote 198.18.0.170 key 1169 ttl 255
else
  ip tunnel add gre-pe169 mode gre local 192.0.2.10 remote 198.18.0.170 key 1169 ttl 255
fi
ip link set gre-pe169 mtu 1476 up
ip addr replace 169.254.2.166/30 dev gre-pe169
for address in $(ip -4 -o addr show dev gre-pe169 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.166/30 ] || ip addr del "$address" dev gre-pe169
done
ip -6 addr replace fd00:a9::2/126 dev gre-pe169 nodad
for address in $(ip -6 -o addr show dev gre-pe169 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:a9::2/126 ] || ip -6 addr del "$address" dev gre-pe169
done

# gre-pe17: key 1017, 192.0.2.10 -> 198.18.0.18
if ip link show dev gre-pe17 >/dev/null 2>&1; then
  ip tunnel change gre-pe17 mode gre local 192.0.2.10 remote 198.18.0.18 key 1017 ttl 255
else
  ip tunnel add gre-pe17 mode gre local 192.0.2.10 remote 198.18.0.18 key 1017 ttl 255
fi
ip link set gre-pe17 mtu 1476 up
ip addr replace 169.254.0.70/30 dev gre-pe17
for address in $(ip -4 -o addr show dev gre-pe17 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.70/30 ] || ip addr del "$address" dev gre-pe17
done
ip -6 addr replace fd00:11::2/126 dev gre-pe17 nodad
for address in $(ip -6 -o addr show dev gre-pe17 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:11::2/126 ] || ip -6 addr del "$address" dev gre-pe17
done

# gre-pe170: key 1170, 192.0.2.10 -> 198.18.0.171
if ip link show dev gre-pe170 >/dev/null 2>&1; then
  ip tunnel change gre-pe170 mode gre local 192.0.2.10 remote 198.18.0.171 key 1170 ttl 255
else
  ip tunnel add gre-pe170 mode gre local 192.0.2.10 remote 198.18.0.171 key 1170 ttl 255
fi
ip link set gre-pe170 mtu 1476 up
ip addr replace 169.254.2.170/30 dev gre-pe170
for address in $(ip -4 -o addr show dev gre-pe170 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.170/30 ] || ip addr del "$address" dev gre-pe170
done
ip -6 addr replace fd00:aa::2/126 dev gre-pe170 nodad
for address in $(ip -6 -o addr show dev gre-pe170 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:aa::2/126 ] || ip -6 addr del "$address" dev gre-pe170
done

# gre-pe171: key 1171, 192.0.2.10 -> 198.18.0.172
if ip link show dev gre-pe171 >/dev/null 2>&1; then
  ip tunnel change gre-pe171 mode gre local 192.0.2.10 remote 198.18.0.172 key 1171 ttl 255
else
  ip tunnel add gre-pe171 mode gre local 192.0.2.10 remote 198.18.0.172 key 1171 ttl 255
fi
ip link set gre-pe171 mtu 1476 up
ip addr replace 169.254.2.174/30 dev gre-pe171
for address in $(ip -4 -o addr show dev gre-pe171 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.174/30 ] || ip addr del "$address" dev gre-pe171
done
ip -6 addr replace fd00:ab::2/126 dev gre-pe171 nodad
for address in $(ip -6 -o addr show dev gre-pe171 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ab::2/126 ] || ip -6 addr del "$address" dev gre-pe171
done

# gre-pe172: key 1172, 192.0.2.10 -> 198.18.0.173
if ip link show dev gre-pe172 >/dev/null 2>&1; then
  ip tunnel change gre-pe172 mode gre local 192.0.2.10 remote 198.18.0.173 key 1172 ttl 255
else
  ip tunnel add gre-pe172 mode gre local 192.0.2.10 remote 198.18.0.173 key 1172 ttl 255
fi
ip link set gre-pe172 mtu 1476 up
ip addr replace 169.254.2.178/30 dev gre-pe172
for address in $(ip -4 -o addr show dev gre-pe172 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.178/30 ] || ip addr del "$address" dev gre-pe172
done
ip -6 addr replace fd00:ac::2/126 dev gre-pe172 nodad
for address in $(ip -6 -o addr show dev gre-pe172 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ac::2/126 ] || ip -6 addr del "$address" dev gre-pe172
done

# gre-pe173: key 1173, 192.0.2.10 -> 198.18.0.174
if ip link show dev gre-pe173 >/dev/null 2>&1; then
  ip tunnel change gre-pe173 mode gre local 192.0.2.10 remote 198.18.0.174 key 1173 ttl 255
else
  ip tunnel add gre-pe173 mode gre local 192.0.2.10 remote 198.18.0.174 key 1173 ttl 255
fi
ip link set gre-pe173 mtu 1476 up
ip addr replace 169.254.2.182/30 dev gre-pe173
for address in $(ip -4 -o addr show dev gre-pe173 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.182/30 ] || ip addr del "$address" dev gre-pe173
done
ip -6 addr replace fd00:ad::2/126 dev gre-pe173 nodad
for address in $(ip -6 -o addr show dev gre-pe173 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ad::2/126 ] || ip -6 addr del "$address" dev gre-pe173
done

# gre-pe174: key 1174, 192.0.2.10 -> 198.18.0.175
if ip link show dev gre-pe174 >/dev/null 2>&1; then
  ip tunnel change gre-pe174 mode gre local 192.0.2.10 remote 198.18.0.175 key 1174 ttl 255
else
  ip tunnel add gre-pe174 mode gre local 192.0.2.10 remote 198.18.0.175 key 1174 ttl 255
fi
ip link set gre-pe174 mtu 1476 up
ip addr replace 169.254.2.186/30 dev gre-pe174
for address in $(ip -4 -o addr show dev gre-pe174 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.186/30 ] || ip addr del "$address" dev gre-pe174
done
ip -6 addr replace fd00:ae::2/126 dev gre-pe174 nodad
for address in $(ip -6 -o addr show dev gre-pe174 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ae::2/126 ] || ip -6 addr del "$address" dev gre-pe174
done

# gre-pe175: key 1175, 192.0.2.10 -> 198.18.0.176
if ip link show dev gre-pe175 >/dev/null 2>&1; then
  ip tunnel change gre-pe175 mode gre local 192.0.2.10 remote 198.18.0.176 key 1175 ttl 255
else
  ip tunnel add gre-pe175 mode gre local 192.0.2.10 remote 198.18.0.176 key 1175 ttl 255
fi
ip link set gre-pe175 mtu 1476 up
ip addr replace 169.254.2.190/30 dev gre-pe175
for address in $(ip -4 -o addr show dev gre-pe175 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.190/30 ] || ip addr del "$address" dev gre-pe175
done
ip -6 addr replace fd00:af::2/126 dev gre-pe175 nodad
for address in $(ip -6 -o addr show dev gre-pe175 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:af::2/126 ] || ip -6 addr del "$address" dev gre-pe175
done

# gre-pe176: key 1176, 192.0.2.10 -> 198.18.0.177
if ip link show dev gre-pe176 >/dev/null 2>&1; then
  ip tunnel change gre-pe176 mode gre local 192.0.2.10 remote 198.18.0.177 key 1176 ttl 255
else
  ip tunnel add gre-pe176 mode gre local 192.0.2.10 remote 198.18.0.177 key 1176 ttl 255
fi
ip link set gre-pe176 mtu 1476 up
ip addr replace 169.254.2.194/30 dev gre-pe176
for address in $(ip -4 -o addr show dev gre-pe176 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.194/30 ] || ip addr del "$address" dev gre-pe176
done
ip -6 addr replace fd00:b0::2/126 dev gre-pe176 nodad
for address in $(ip -6 -o addr show dev gre-pe176 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b0::2/126 ] || ip -6 addr del "$address" dev gre-pe176
done

# gre-pe177: key 1177, 192.0.2.10 -> 198.18.0.178
if ip link show dev gre-pe177 >/dev/null 2>&1; then
  ip tunnel change gre-pe177 mode gre local 192.0.2.10 remote 198.18.0.178 key 1177 ttl 255
else
  ip tunnel add gre-pe177 mode gre local 192.0.2.10 remote 198.18.0.178 key 1177 ttl 255
fi
ip link set gre-pe177 mtu 1476 up
ip addr replace 169.254.2.198/30 dev gre-pe177
for address in $(ip -4 -o addr show dev gre-pe177 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.198/30 ] || ip addr del "$address" dev gre-pe177
done
ip -6 addr replace fd00:b1::2/126 dev gre-pe177 nodad
for address in $(ip -6 -o addr show dev gre-pe177 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b1::2/126 ] || ip -6 addr del "$address" dev gre-pe177
done

# gre-pe178: key 1178, 192.0.2.10 -> 198.18.0.179
if ip link show dev gre-pe178 >/dev/null 2>&1; then
  ip tunnel change gre-pe178 mode gre local 192.0.2.10 remote 198.18.0.179 key 1178 ttl 255
else
  ip tunnel add gre-pe178 mode gre local 192.0.2.10 remote 198.18.0.179 key 1178 ttl 255
fi
ip link set gre-pe178 mtu 1476 up
ip addr replace 169.254.2.202/30 dev gre-pe178
for address in $(ip -4 -o addr show dev gre-pe178 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.202/30 ] || ip addr del "$address" dev gre-pe178
done
ip -6 addr replace fd00:b2::2/126 dev gre-pe178 nodad
for address in $(ip -6 -o addr show dev gre-pe178 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b2::2/126 ] || ip -6 addr del "$address" dev gre-pe178
done

# gre-pe179: key 1179, 192.0.2.10 -> 198.18.0.180
if ip link show dev gre-pe179 >/dev/null 2>&1; then
  ip tunnel change gre-pe179 mode gre local 192.0.2.10 remote 198.18.0.180 key 1179 ttl 255
else
  ip tunnel add gre-pe179 mode gre local 192.0.2.10 remote 198.18.0.180 key 1179 ttl 255
fi
ip link set gre-pe179 mtu 1476 up
ip addr replace 169.254.2.206/30 dev gre-pe179
for address in $(ip -4 -o addr show dev gre-pe179 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.206/30 ] || ip addr del "$address" dev gre-pe179
done
ip -6 addr replace fd00:b3::2/126 dev gre-pe179 nodad
for address in $(ip -6 -o addr show dev gre-pe179 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b3::2/126 ] || ip -6 addr del "$address" dev gre-pe179
done

# gre-pe18: key 1018, 192.0.2.10 -> 198.18.0.19
if ip link show dev gre-pe18 >/dev/null 2>&1; then
  ip tunnel change gre-pe18 mode gre local 192.0.2.10 remote 198.18.0.19 key 1018 ttl 255
else
  ip tunnel add gre-pe18 mode gre local 192.0.2.10 remote 198.18.0.19 key 1018 ttl 255
fi
ip link set gre-pe18 mtu 1476 up
ip addr replace 169.254.0.74/30 dev gre-pe18
for address in $(ip -4 -o addr show dev gre-pe18 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.74/30 ] || ip addr del "$address" dev gre-pe18
done
ip -6 addr replace fd00:12::2/126 dev gre-pe18 nodad
for address in $(ip -6 -o addr show dev gre-pe18 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:12::2/126 ] || ip -6 addr del "$address" dev gre-pe18
done

# gre-pe180: key 1180, 192.0.2.10 -> 198.18.0.181
if ip link show dev gre-pe180 >/dev/null 2>&1; then
  ip tunnel change gre-pe180 mode gre local 192.0.2.10 remote 198.18.0.181 key 1180 ttl 255
else
  ip tunnel add gre-pe180 mode gre local 192.0.2.10 remote 198.18.0.181 key 1180 ttl 255
fi
ip link set gre-pe180 mtu 1476 up
ip addr replace 169.254.2.210/30 dev gre-pe180
for address in $(ip -4 -o addr show dev gre-pe180 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.210/30 ] || ip addr del "$address" dev gre-pe180
done
ip -6 addr replace fd00:b4::2/126 dev gre-pe180 nodad
for address in $(ip -6 -o addr show dev gre-pe180 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b4::2/126 ] || ip -6 addr del "$address" dev gre-pe180
done

# gre-pe181: key 1181, 192.0.2.10 -> 198.18.0.182
if ip link show dev gre-pe181 >/dev/null 2>&1; then
  ip tunnel change gre-pe181 mode gre local 192.0.2.10 remote 198.18.0.182 key 1181 ttl 255
else
  ip tunnel add gre-pe181 mode gre local 192.0.2.10 remote 198.18.0.182 key 1181 ttl 255
fi
ip link set gre-pe181 mtu 1476 up
ip addr replace 169.254.2.214/30 dev gre-pe181
for address in $(ip -4 -o addr show dev gre-pe181 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.214/30 ] || ip addr del "$address" dev gre-pe181
done
ip -6 addr replace fd00:b5::2/126 dev gre-pe181 nodad
for address in $(ip -6 -o addr show dev gre-pe181 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b5::2/126 ] || ip -6 addr del "$address" dev gre-pe181
done

# gre-pe182: key 1182, 192.0.2.10 -> 198.18.0.183
if ip link show dev gre-pe182 >/dev/null 2>&1; then
  ip tunnel change gre-pe182 mode gre local 192.0.2.10 remote 198.18.0.183 key 1182 ttl 255
else
  ip tunnel add gre-pe182 mode gre local 192.0.2.10 remote 198.18.0.183 key 1182 ttl 255
fi
ip link set gre-pe182 mtu 1476 up
ip addr replace 169.254.2.218/30 dev gre-pe182
for address in $(ip -4 -o addr show dev gre-pe182 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.218/30 ] || ip addr del "$address" dev gre-pe182
done
ip -6 addr replace fd00:b6::2/126 dev gre-pe182 nodad
for address in $(ip -6 -o addr show dev gre-pe182 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b6::2/126 ] || ip -6 addr del "$address" dev gre-pe182
done

# gre-pe183: key 1183, 192.0.2.10 -> 198.18.0.184
if ip link show dev gre-pe183 >/dev/null 2>&1; then
  ip tunnel change gre-pe183 mode gre local 192.0.2.10 remote 198.18.0.184 key 1183 ttl 255
else
  ip tunnel add gre-pe183 mode gre local 192.0.2.10 remote 198.18.0.184 key 1183 ttl 255
fi
ip link set gre-pe183 mtu 1476 up
ip addr replace 169.254.2.222/30 dev gre-pe183
for address in $(ip -4 -o addr show dev gre-pe183 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.222/30 ] || ip addr del "$address" dev gre-pe183
done
ip -6 addr replace fd00:b7::2/126 dev gre-pe183 nodad
for address in $(ip -6 -o addr show dev gre-pe183 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b7::2/126 ] || ip -6 addr del "$address" dev gre-pe183
done

# gre-pe184: key 1184, 192.0.2.10 -> 198.18.0.185
if ip link show dev gre-pe184 >/dev/null 2>&1; then
  ip tunnel change gre-pe184 mode gre local 192.0.2.10 remote 198.18.0.185 key 1184 ttl 255
else
  ip tunnel add gre-pe184 mode gre local 192.0.2.10 remote 198.18.0.185 key 1184 ttl 255
fi
ip link set gre-pe184 mtu 1476 up
ip addr replace 169.254.2.226/30 dev gre-pe184
for address in $(ip -4 -o addr show dev gre-pe184 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.226/30 ] || ip addr del "$address" dev gre-pe184
done
ip -6 addr replace fd00:b8::2/126 dev gre-pe184 nodad
for address in $(ip -6 -o addr show dev gre-pe184 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b8::2/126 ] || ip -6 addr del "$address" dev gre-pe184
done

# gre-pe185: key 1185, 192.0.2.10 -> 198.18.0.186
if ip link show dev gre-pe185 >/dev/null 2>&1; then
  ip tunnel change gre-pe185 mode gre local 192.0.2.10 remote 198.18.0.186 key 1185 ttl 255
else
  ip tunnel add gre-pe185 mode gre local 192.0.2.10 remote 198.18.0.186 key 1185 ttl 255
fi
ip link set gre-pe185 mtu 1476 up
ip addr replace 169.254.2.230/30 dev gre-pe185
for address in $(ip -4 -o addr show dev gre-pe185 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.230/30 ] || ip addr del "$address" dev gre-pe185
done
ip -6 addr replace fd00:b9::2/126 dev gre-pe185 nodad
for address in $(ip -6 -o addr show dev gre-pe185 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:b9::2/126 ] || ip -6 addr del "$address" dev gre-pe185
done

# gre-pe186: key 1186, 192.0.2.10 -> 198.18.0.187
if ip link show dev gre-pe186 >/dev/null 2>&1; then
  ip tunnel change gre-pe186 mode gre local 192.0.2.10 remote 198.18.0.187 key 1186 ttl 255
else
  ip tunnel add gre-pe186 mode gre local 192.0.2.10 remote 198.18.0.187 key 1186 ttl 255
fi
ip link set gre-pe186 mtu 1476 up
ip addr replace 169.254.2.234/30 dev gre-pe186
for address in $(ip -4 -o addr show dev gre-pe186 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.234/30 ] || ip addr del "$address" dev gre-pe186
done
ip -6 addr replace fd00:ba::2/126 dev gre-pe186 nodad
for address in $(ip -6 -o addr show dev gre-pe186 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ba::2/126 ] || ip -6 addr del "$address" dev gre-pe186
done

# gre-pe187: key 1187, 192.0.2.10 -> 198.18.0.188
if ip link show dev gre-pe187 >/dev/null 2>&1; then
  ip tunnel change gre-pe187 mode gre local 192.0.2.10 remote 198.18.0.188 key 1187 ttl 255
else
  ip tunnel add gre-pe187 mode gre local 192.0.2.10 remote 198.18.0.188 key 1187 ttl 255
fi
ip link set gre-pe187 mtu 1476 up
ip addr replace 169.254.2.238/30 dev gre-pe187
for address in $(ip -4 -o addr show dev gre-pe187 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.238/30 ] || ip addr del "$address" dev gre-pe187
done
ip -6 addr replace fd00:bb::2/126 dev gre-pe187 nodad
for address in $(ip -6 -o addr show dev gre-pe187 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:bb::2/126 ] || ip -6 addr del "$address" dev gre-pe187
done

# gre-pe188: key 1188, 192.0.2.10 -> 198.18.0.189
if ip link show dev gre-pe188 >/dev/null 2>&1; then
  ip tunnel change gre-pe188 mode gre local 192.0.2.10 remote 198.18.0.189 key 1188 ttl 255
else
  ip tunnel add gre-pe188 mode gre local 192.0.2.10 remote 198.18.0.189 key 1188 ttl 255
fi
ip link set gre-pe188 mtu 1476 up
ip addr replace 169.254.2.242/30 dev gre-pe188
for address in $(ip -4 -o addr show dev gre-pe188 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.242/30 ] || ip addr del "$address" dev gre-pe188
done
ip -6 addr replace fd00:bc::2/126 dev gre-pe188 nodad
for address in $(ip -6 -o addr show dev gre-pe188 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:bc::2/126 ] || ip -6 addr del "$address" dev gre-pe188
done

# gre-pe189: key 1189, 192.0.2.10 -> 198.18.0.190
if ip link show dev gre-pe189 >/dev/null 2>&1; then
  ip tunnel change gre-pe189 mode gre local 192.0.2.10 remote 198.18.0.190 key 1189 ttl 255
else
  ip tunnel add gre-pe189 mode gre local 192.0.2.10 remote 198.18.0.190 key 1189 ttl 255
fi
ip link set gre-pe189 mtu 1476 up
ip addr replace 169.254.2.246/30 dev gre-pe189
for address in $(ip -4 -o addr show dev gre-pe189 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.246/30 ] || ip addr del "$address" dev gre-pe189
done
ip -6 addr replace fd00:bd::2/126 dev gre-pe189 nodad
for address in $(ip -6 -o addr show dev gre-pe189 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:bd::2/126 ] || ip -6 addr del "$address" dev gre-pe189
done

# gre-pe19: key 1019, 192.0.2.10 -> 198.18.0.20
if ip link show dev gre-pe19 >/dev/null 2>&1; then
  ip tunnel change gre-pe19 mode gre local 192.0.2.10 remote 198.18.0.20 key 1019 ttl 255
else
  ip tunnel add gre-pe19 mode gre local 192.0.2.10 remote 198.18.0.20 key 1019 ttl 255
fi
ip link set gre-pe19 mtu 1476 up
ip addr replace 169.254.0.78/30 dev gre-pe19
for address in $(ip -4 -o addr show dev gre-pe19 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.78/30 ] || ip addr del "$address" dev gre-pe19
done
ip -6 addr replace fd00:13::2/126 dev gre-pe19 nodad
for address in $(ip -6 -o addr show dev gre-pe19 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:13::2/126 ] || ip -6 addr del "$address" dev gre-pe19
done

# gre-pe190: key 1190, 192.0.2.10 -> 198.18.0.191
if ip link show dev gre-pe190 >/dev/null 2>&1; then
  ip tunnel change gre-pe190 mode gre local 192.0.2.10 remote 198.18.0.191 key 1190 ttl 255
else
  ip tunnel add gre-pe190 mode gre local 192.0.2.10 remote 198.18.0.191 key 1190 ttl 255
fi
ip link set gre-pe190 mtu 1476 up
ip addr replace 169.254.2.250/30 dev gre-pe190
for address in $(ip -4 -o addr show dev gre-pe190 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.250/30 ] || ip addr del "$address" dev gre-pe190
done
ip -6 addr replace fd00:be::2/126 dev gre-pe190 nodad
for address in $(ip -6 -o addr show dev gre-pe190 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:be::2/126 ] || ip -6 addr del "$address" dev gre-pe190
done

# gre-pe191: key 1191, 192.0.2.10 -> 198.18.0.192
if ip link show dev gre-pe191 >/dev/null 2>&1; then
  ip tunnel change gre-pe191 mode gre local 192.0.2.10 remote 198.18.0.192 key 1191 ttl 255
else
  ip tunnel add gre-pe191 mode gre local 192.0.2.10 remote 198.18.0.192 key 1191 ttl 255
fi
ip link set gre-pe191 mtu 1476 up
ip addr replace 169.254.2.254/30 dev gre-pe191
for address in $(ip -4 -o addr show dev gre-pe191 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.2.254/30 ] || ip addr del "$address" dev gre-pe191
done
ip -6 addr replace fd00:bf::2/126 dev gre-pe191 nodad
for address in $(ip -6 -o addr show dev gre-pe191 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:bf::2/126 ] || ip -6 addr del "$address" dev gre-pe191
done

# gre-pe192: key 1192, 192.0.2.10 -> 198.18.0.193
if ip link show dev gre-pe192 >/dev/null 2>&1; then
  ip tunnel change gre-pe192 mode gre local 192.0.2.10 remote 198.18.0.193 key 1192 ttl 255
else
  ip tunnel add gre-pe192 mode gre local 192.0.2.10 remote 198.18.0.193 key 1192 ttl 255
fi
ip link set gre-pe192 mtu 1476 up
ip addr replace 169.254.3.2/30 dev gre-pe192
for address in $(ip -4 -o addr show dev gre-pe192 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.2/30 ] || ip addr del "$address" dev gre-pe192
done
ip -6 addr replace fd00:c0::2/126 dev gre-pe192 nodad
for address in $(ip -6 -o addr show dev gre-pe192 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c0::2/126 ] || ip -6 addr del "$address" dev gre-pe192
done

# gre-pe193: key 1193, 192.0.2.10 -> 198.18.0.194
if ip link show dev gre-pe193 >/dev/null 2>&1; then
  ip tunnel change gre-pe193 mode gre local 192.0.2.10 remote 198.18.0.194 key 1193 ttl 255
else
  ip tunnel add gre-pe193 mode gre local 192.0.2.10 remote 198.18.0.194 key 1193 ttl 255
fi
ip link set gre-pe193 mtu 1476 up
ip addr replace 169.254.3.6/30 dev gre-pe193
for address in $(ip -4 -o addr show dev gre-pe193 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.6/30 ] || ip addr del "$address" dev gre-pe193
done
ip -6 addr replace fd00:c1::2/126 dev gre-pe193 nodad
for address in $(ip -6 -o addr show dev gre-pe193 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c1::2/126 ] || ip -6 addr del "$address" dev gre-pe193
done

# gre-pe194: key 1194, 192.0.2.10 -> 198.18.0.195
if ip link show dev gre-pe194 >/dev/null 2>&1; then
  ip tunnel change gre-pe194 mode gre local 192.0.2.10 remote 198.18.0.195 key 1194 ttl 255
else
  ip tunnel add gre-pe194 mode gre local 192.0.2.10 remote 198.18.0.195 key 1194 ttl 255
fi
ip link set gre-pe194 mtu 1476 up
ip addr replace 169.254.3.10/30 dev gre-pe194
for address in $(ip -4 -o addr show dev gre-pe194 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.10/30 ] || ip addr del "$address" dev gre-pe194
done
ip -6 addr replace fd00:c2::2/126 dev gre-pe194 nodad
for address in $(ip -6 -o addr show dev gre-pe194 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c2::2/126 ] || ip -6 addr del "$address" dev gre-pe194
done

# gre-pe195: key 1195, 192.0.2.10 -> 198.18.0.196
if ip link show dev gre-pe195 >/dev/null 2>&1; then
  ip tunnel change gre-pe195 mode gre local 192.0.2.10 remote 198.18.0.196 key 1195 ttl 255
else
  ip tunnel add gre-pe195 mode gre local 192.0.2.10 remote 198.18.0.196 key 1195 ttl 255
fi
ip link set gre-pe195 mtu 1476 up
ip addr replace 169.254.3.14/30 dev gre-pe195
for address in $(ip -4 -o addr show dev gre-pe195 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.14/30 ] || ip addr del "$address" dev gre-pe195
done
ip -6 addr replace fd00:c3::2/126 dev gre-pe195 nodad
for address in $(ip -6 -o addr show dev gre-pe195 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c3::2/126 ] || ip -6 addr del "$address" dev gre-pe195
done

# gre-pe196: key 1196, 192.0.2.10 -> 198.18.0.197
if ip link show dev gre-pe196 >/dev/null 2>&1; then
  ip tunnel change gre-pe196 mode gre local 192.0.2.10 remote 198.18.0.197 key 1196 ttl 255
else
  ip tunnel add gre-pe196 mode gre local 192.0.2.10 remote 198.18.0.197 key 1196 ttl 255
fi
ip link set gre-pe196 mtu 1476 up
ip addr replace 169.254.3.18/30 dev gre-pe196
for address in $(ip -4 -o addr show dev gre-pe196 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.18/30 ] || ip addr del "$address" dev gre-pe196
done
ip -6 addr replace fd00:c4::2/126 dev gre-pe196 nodad
for address in $(ip -6 -o addr show dev gre-pe196 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c4::2/126 ] || ip -6 addr del "$address" dev gre-pe196
done

# gre-pe197: key 1197, 192.0.2.10 -> 198.18.0.198
if ip link show dev gre-pe197 >/dev/null 2>&1; then
  ip tunnel change gre-pe197 mode gre local 192.0.2.10 remote 198.18.0.198 key 1197 ttl 255
else
  ip tunnel add gre-pe197 mode gre local 192.0.2.10 remote 198.18.0.198 key 1197 ttl 255
fi
ip link set gre-pe197 mtu 1476 up
ip addr replace 169.254.3.22/30 dev gre-pe197
for address in $(ip -4 -o addr show dev gre-pe197 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.22/30 ] || ip addr del "$address" dev gre-pe197
done
ip -6 addr replace fd00:c5::2/126 dev gre-pe197 nodad
for address in $(ip -6 -o addr show dev gre-pe197 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c5::2/126 ] || ip -6 addr del "$address" dev gre-pe197
done

# gre-pe198: key 1198, 192.0.2.10 -> 198.18.0.199
if ip link show dev gre-pe198 >/dev/null 2>&1; then
  ip tunnel change gre-pe198 mode gre local 192.0.2.10 remote 198.18.0.199 key 1198 ttl 255
else
  ip tunnel add gre-pe198 mode gre local 192.0.2.10 remote 198.18.0.199 key 1198 ttl 255
fi
ip link set gre-pe198 mtu 1476 up
ip addr replace 169.254.3.26/30 dev gre-pe198
for address in $(ip -4 -o addr show dev gre-pe198 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.26/30 ] || ip addr del "$address" dev gre-pe198
done
ip -6 addr replace fd00:c6::2/126 dev gre-pe198 nodad
for address in $(ip -6 -o addr show dev gre-pe198 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c6::2/126 ] || ip -6 addr del "$address" dev gre-pe198
done

# gre-pe199: key 1199, 192.0.2.10 -> 198.18.0.200
if ip link show dev gre-pe199 >/dev/null 2>&1; then
  ip tunnel change gre-pe199 mode gre local 192.0.2.10 remote 198.18.0.200 key 1199 ttl 255
else
  ip tunnel add gre-pe199 mode gre local 192.0.2.10 remote 198.18.0.200 key 1199 ttl 255
fi
ip link set gre-pe199 mtu 1476 up
ip addr replace 169.254.3.30/30 dev gre-pe199
for address in $(ip -4 -o addr show dev gre-pe199 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.30/30 ] || ip addr del "$address" dev gre-pe199
done
ip -6 addr replace fd00:c7::2/126 dev gre-pe199 nodad
for address in $(ip -6 -o addr show dev gre-pe199 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c7::2/126 ] || ip -6 addr del "$address" dev gre-pe199
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

# gre-pe20: key 1020, 192.0.2.10 -> 198.18.0.21
if ip link show dev gre-pe20 >/dev/null 2>&1; then
  ip tunnel change gre-pe20 mode gre local 192.0.2.10 remote 198.18.0.21 key 1020 ttl 255
else
  ip tunnel add gre-pe20 mode gre local 192.0.2.10 remote 198.18.0.21 key 1020 ttl 255
fi
ip link set gre-pe20 mtu 1476 up
ip addr replace 169.254.0.82/30 dev gre-pe20
for address in $(ip -4 -o addr show dev gre-pe20 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.82/30 ] || ip addr del "$address" dev gre-pe20
done
ip -6 addr replace fd00:14::2/126 dev gre-pe20 nodad
for address in $(ip -6 -o addr show dev gre-pe20 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:14::2/126 ] || ip -6 addr del "$address" dev gre-pe20
done

# gre-pe200: key 1200, 192.0.2.10 -> 198.18.0.201
if ip link show dev gre-pe200 >/dev/null 2>&1; then
  ip tunnel change gre-pe200 mode gre local 192.0.2.10 remote 198.18.0.201 key 1200 ttl 255
else
  ip tunnel add gre-pe200 mode gre local 192.0.2.10 remote 198.18.0.201 key 1200 ttl 255
fi
ip link set gre-pe200 mtu 1476 up
ip addr replace 169.254.3.34/30 dev gre-pe200
for address in $(ip -4 -o addr show dev gre-pe200 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.34/30 ] || ip addr del "$address" dev gre-pe200
done
ip -6 addr replace fd00:c8::2/126 dev gre-pe200 nodad
for address in $(ip -6 -o addr show dev gre-pe200 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c8::2/126 ] || ip -6 addr del "$address" dev gre-pe200
done

# gre-pe201: key 1201, 192.0.2.10 -> 198.18.0.202
if ip link show dev gre-pe201 >/dev/null 2>&1; then
  ip tunnel change gre-pe201 mode gre local 192.0.2.10 remote 198.18.0.202 key 1201 ttl 255
else
  ip tunnel add gre-pe201 mode gre local 192.0.2.10 remote 198.18.0.202 key 1201 ttl 255
fi
ip link set gre-pe201 mtu 1476 up
ip addr replace 169.254.3.38/30 dev gre-pe201
for address in $(ip -4 -o addr show dev gre-pe201 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.38/30 ] || ip addr del "$address" dev gre-pe201
done
ip -6 addr replace fd00:c9::2/126 dev gre-pe201 nodad
for address in $(ip -6 -o addr show dev gre-pe201 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:c9::2/126 ] || ip -6 addr del "$address" dev gre-pe201
done

# gre-pe202: key 1202, 192.0.2.10 -> 198.18.0.203
if ip link show dev gre-pe202 >/dev/null 2>&1; then
  ip tunnel change gre-pe202 mode gre local 192.0.2.10 remote 198.18.0.203 key 1202 ttl 255
else
  ip tunnel add gre-pe202 mode gre local 192.0.2.10 remote 198.18.0.203 key 1202 ttl 255
fi
ip link set gre-pe202 mtu 1476 up
ip addr replace 169.254.3.42/30 dev gre-pe202
for address in $(ip -4 -o addr show dev gre-pe202 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.42/30 ] || ip addr del "$address" dev gre-pe202
done
ip -6 addr replace fd00:ca::2/126 dev gre-pe202 nodad
for address in $(ip -6 -o addr show dev gre-pe202 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ca::2/126 ] || ip -6 addr del "$address" dev gre-pe202
done

# gre-pe203: key 1203, 192.0.2.10 -> 198.18.0.204
if ip link show dev gre-pe203 >/dev/null 2>&1; then
  ip tunnel change gre-pe203 mode gre local 192.0.2.10 remote 198.18.0.204 key 1203 ttl 255
else
  ip tunnel add gre-pe203 mode gre local 192.0.2.10 remote 198.18.0.204 key 1203 ttl 255
fi
ip link set gre-pe203 mtu 1476 up
ip addr replace 169.254.3.46/30 dev gre-pe203
for address in $(ip -4 -o addr show dev gre-pe203 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.46/30 ] || ip addr del "$address" dev gre-pe203
done
ip -6 addr replace fd00:cb::2/126 dev gre-pe203 nodad
for address in $(ip -6 -o addr show dev gre-pe203 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:cb::2/126 ] || ip -6 addr del "$address" dev gre-pe203
done

# gre-pe204: key 1204, 192.0.2.10 -> 198.18.0.205
if ip link show dev gre-pe204 >/dev/null 2>&1; then
  ip tunnel change gre-pe204 mode gre local 192.0.2.10 remote 198.18.0.205 key 1204 ttl 255
else
  ip tunnel add gre-pe204 mode gre local 192.0.2.10 remote 198.18.0.205 key 1204 ttl 255
fi
ip link set gre-pe204 mtu 1476 up
ip addr replace 169.254.3.50/30 dev gre-pe204
for address in $(ip -4 -o addr show dev gre-pe204 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.50/30 ] || ip addr del "$address" dev gre-pe204
done
ip -6 addr replace fd00:cc::2/126 dev gre-pe204 nodad
for address in $(ip -6 -o addr show dev gre-pe204 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:cc::2/126 ] || ip -6 addr del "$address" dev gre-pe204
done

# gre-pe205: key 1205, 192.0.2.10 -> 198.18.0.206
if ip link show dev gre-pe205 >/dev/null 2>&1; then
  ip tunnel change gre-pe205 mode gre local 192.0.2.10 remote 198.18.0.206 key 1205 ttl 255
else
  ip tunnel add gre-pe205 mode gre local 192.0.2.10 remote 198.18.0.206 key 1205 ttl 255
fi
ip link set gre-pe205 mtu 1476 up
ip addr replace 169.254.3.54/30 dev gre-pe205
for address in $(ip -4 -o addr show dev gre-pe205 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.54/30 ] || ip addr del "$address" dev gre-pe205
done
ip -6 addr replace fd00:cd::2/126 dev gre-pe205 nodad
for address in $(ip -6 -o addr show dev gre-pe205 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:cd::2/126 ] || ip -6 addr del "$address" dev gre-pe205
done

# gre-pe206: key 1206, 192.0.2.10 -> 198.18.0.207
if ip link show dev gre-pe206 >/dev/null 2>&1; then
  ip tunnel change gre-pe206 mode gre local 192.0.2.10 remote 198.18.0.207 key 1206 ttl 255
else
  ip tunnel add gre-pe206 mode gre local 192.0.2.10 remote 198.18.0.207 key 1206 ttl 255
fi
ip link set gre-pe206 mtu 1476 up
ip addr replace 169.254.3.58/30 dev gre-pe206
for address in $(ip -4 -o addr show dev gre-pe206 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.58/30 ] || ip addr del "$address" dev gre-pe206
done
ip -6 addr replace fd00:ce::2/126 dev gre-pe206 nodad
for address in $(ip -6 -o addr show dev gre-pe206 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ce::2/126 ] || ip -6 addr del "$address" dev gre-pe206
done

# gre-pe207: key 1207, 192.0.2.10 -> 198.18.0.208
if ip link show dev gre-pe207 >/dev/null 2>&1; then
  ip tunnel change gre-pe207 mode gre local 192.0.2.10 remote 198.18.0.208 key 1207 ttl 255
else
  ip tunnel add gre-pe207 mode gre local 192.0.2.10 remote 198.18.0.208 key 1207 ttl 255
fi
ip link set gre-pe207 mtu 1476 up
ip addr replace 169.254.3.62/30 dev gre-pe207
for address in $(ip -4 -o addr show dev gre-pe207 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.62/30 ] || ip addr del "$address" dev gre-pe207
done
ip -6 addr replace fd00:cf::2/126 dev gre-pe207 nodad
for address in $(ip -6 -o addr show dev gre-pe207 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:cf::2/126 ] || ip -6 addr del "$address" dev gre-pe207
done

# gre-pe208: key 1208, 192.0.2.10 -> 198.18.0.209
if ip link show dev gre-pe208 >/dev/null 2>&1; then
  ip tunnel change gre-pe208 mode gre local 192.0.2.10 remote 198.18.0.209 key 1208 ttl 255
else
  ip tunnel add gre-pe208 mode gre local 192.0.2.10 remote 198.18.0.209 key 1208 ttl 255
fi
ip link set gre-pe208 mtu 1476 up
ip addr replace 169.254.3.66/30 dev gre-pe208
for address in $(ip -4 -o addr show dev gre-pe208 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.66/30 ] || ip addr del "$address" dev gre-pe208
done
ip -6 addr replace fd00:d0::2/126 dev gre-pe208 nodad
for address in $(ip -6 -o addr show dev gre-pe208 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d0::2/126 ] || ip -6 addr del "$address" dev gre-pe208
done

# gre-pe209: key 1209, 192.0.2.10 -> 198.18.0.210
if ip link show dev gre-pe209 >/dev/null 2>&1; then
  ip tunnel change gre-pe209 mode gre local 192.0.2.10 remote 198.18.0.210 key 1209 ttl 255
else
  ip tunnel add gre-pe209 mode gre local 192.0.2.10 remote 198.18.0.210 key 1209 ttl 255
fi
ip link set gre-pe209 mtu 1476 up
ip addr replace 169.254.3.70/30 dev gre-pe209
for address in $(ip -4 -o addr show dev gre-pe209 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.70/30 ] || ip addr del "$address" dev gre-pe209
done
ip -6 addr replace fd00:d1::2/126 dev gre-pe209 nodad
for address in $(ip -6 -o addr show dev gre-pe209 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d1::2/126 ] || ip -6 addr del "$address" dev gre-pe209
done

# gre-pe21: key 1021, 192.0.2.10 -> 198.18.0.22
if ip link show dev gre-pe21 >/dev/null 2>&1; then
  ip tunnel change gre-pe21 mode gre local 192.0.2.10 remote 198.18.0.22 key 1021 ttl 255
else
  ip tunnel add gre-pe21 mode gre local 192.0.2.10 remote 198.18.0.22 key 1021 ttl 255
fi
ip link set gre-pe21 mtu 1476 up
ip addr replace 169.254.0.86/30 dev gre-pe21
for address in $(ip -4 -o addr show dev gre-pe21 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.86/30 ] || ip addr del "$address" dev gre-pe21
done
ip -6 addr replace fd00:15::2/126 dev gre-pe21 nodad
for address in $(ip -6 -o addr show dev gre-pe21 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:15::2/126 ] || ip -6 addr del "$address" dev gre-pe21
done

# gre-pe210: key 1210, 192.0.2.10 -> 198.18.0.211
if ip link show dev gre-pe210 >/dev/null 2>&1; then
  ip tunnel change gre-pe210 mode gre local 192.0.2.10 remote 198.18.0.211 key 1210 ttl 255
else
  ip tunnel add gre-pe210 mode gre local 192.0.2.10 remote 198.18.0.211 key 1210 ttl 255
fi
ip link set gre-pe210 mtu 1476 up
ip addr replace 169.254.3.74/30 dev gre-pe210
for address in $(ip -4 -o addr show dev gre-pe210 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.74/30 ] || ip addr del "$address" dev gre-pe210
done
ip -6 addr replace fd00:d2::2/126 dev gre-pe210 nodad
for address in $(ip -6 -o addr show dev gre-pe210 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d2::2/126 ] || ip -6 addr del "$address" dev gre-pe210
done

# gre-pe211: key 1211, 192.0.2.10 -> 198.18.0.212
if ip link show dev gre-pe211 >/dev/null 2>&1; then
  ip tunnel change gre-pe211 mode gre local 192.0.2.10 remote 198.18.0.212 key 1211 ttl 255
else
  ip tunnel add gre-pe211 mode gre local 192.0.2.10 remote 198.18.0.212 key 1211 ttl 255
fi
ip link set gre-pe211 mtu 1476 up
ip addr replace 169.254.3.78/30 dev gre-pe211
for address in $(ip -4 -o addr show dev gre-pe211 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.78/30 ] || ip addr del "$address" dev gre-pe211
done
ip -6 addr replace fd00:d3::2/126 dev gre-pe211 nodad
for address in $(ip -6 -o addr show dev gre-pe211 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d3::2/126 ] || ip -6 addr del "$address" dev gre-pe211
done

# gre-pe212: key 1212, 192.0.2.10 -> 198.18.0.213
if ip link show dev gre-pe212 >/dev/null 2>&1; then
  ip tunnel change gre-pe212 mode gre local 192.0.2.10 remote 198.18.0.213 key 1212 ttl 255
else
  ip tunnel add gre-pe212 mode gre local 192.0.2.10 remote 198.18.0.213 key 1212 ttl 255
fi
ip link set gre-pe212 mtu 1476 up
ip addr replace 169.254.3.82/30 dev gre-pe212
for address in $(ip -4 -o addr show dev gre-pe212 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.82/30 ] || ip addr del "$address" dev gre-pe212
done
ip -6 addr replace fd00:d4::2/126 dev gre-pe212 nodad
for address in $(ip -6 -o addr show dev gre-pe212 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d4::2/126 ] || ip -6 addr del "$address" dev gre-pe212
done

# gre-pe213: key 1213, 192.0.2.10 -> 198.18.0.214
if ip link show dev gre-pe213 >/dev/null 2>&1; then
  ip tunnel change gre-pe213 mode gre local 192.0.2.10 remote 198.18.0.214 key 1213 ttl 255
else
  ip tunnel add gre-pe213 mode gre local 192.0.2.10 remote 198.18.0.214 key 1213 ttl 255
fi
ip link set gre-pe213 mtu 1476 up
ip addr replace 169.254.3.86/30 dev gre-pe213
for address in $(ip -4 -o addr show dev gre-pe213 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.86/30 ] || ip addr del "$address" dev gre-pe213
done
ip -6 addr replace fd00:d5::2/126 dev gre-pe213 nodad
for address in $(ip -6 -o addr show dev gre-pe213 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d5::2/126 ] || ip -6 addr del "$address" dev gre-pe213
done

# gre-pe214: key 1214, 192.0.2.10 -> 198.18.0.215
if ip link show dev gre-pe214 >/dev/null 2>&1; then
  ip tunnel change gre-pe214 mode gre local 192.0.2.10 remote 198.18.0.215 key 1214 ttl 255
else
  ip tunnel add gre-pe214 mode gre local 192.0.2.10 remote 198.18.0.215 key 1214 ttl 255
fi
ip link set gre-pe214 mtu 1476 up
ip addr replace 169.254.3.90/30 dev gre-pe214
for address in $(ip -4 -o addr show dev gre-pe214 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.90/30 ] || ip addr del "$address" dev gre-pe214
done
ip -6 addr replace fd00:d6::2/126 dev gre-pe214 nodad
for address in $(ip -6 -o addr show dev gre-pe214 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d6::2/126 ] || ip -6 addr del "$address" dev gre-pe214
done

# gre-pe215: key 1215, 192.0.2.10 -> 198.18.0.216
if ip link show dev gre-pe215 >/dev/null 2>&1; then
  ip tunnel change gre-pe215 mode gre local 192.0.2.10 remote 198.18.0.216 key 1215 ttl 255
else
  ip tunnel add gre-pe215 mode gre local 192.0.2.10 remote 198.18.0.216 key 1215 ttl 255
fi
ip link set gre-pe215 mtu 1476 up
ip addr replace 169.254.3.94/30 dev gre-pe215
for address in $(ip -4 -o addr show dev gre-pe215 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.94/30 ] || ip addr del "$address" dev gre-pe215
done
ip -6 addr replace fd00:d7::2/126 dev gre-pe215 nodad
for address in $(ip -6 -o addr show dev gre-pe215 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d7::2/126 ] || ip -6 addr del "$address" dev gre-pe215
done

# gre-pe216: key 1216, 192.0.2.10 -> 198.18.0.217
if ip link show dev gre-pe216 >/dev/null 2>&1; then
  ip tunnel change gre-pe216 mode gre local 192.0.2.10 remote 198.18.0.217 key 1216 ttl 255
else
  ip tunnel add gre-pe216 mode gre local 192.0.2.10 remote 198.18.0.217 key 1216 ttl 255
fi
ip link set gre-pe216 mtu 1476 up
ip addr replace 169.254.3.98/30 dev gre-pe216
for address in $(ip -4 -o addr show dev gre-pe216 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.98/30 ] || ip addr del "$address" dev gre-pe216
done
ip -6 addr replace fd00:d8::2/126 dev gre-pe216 nodad
for address in $(ip -6 -o addr show dev gre-pe216 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d8::2/126 ] || ip -6 addr del "$address" dev gre-pe216
done

# gre-pe217: key 1217, 192.0.2.10 -> 198.18.0.218
if ip link show dev gre-pe217 >/dev/null 2>&1; then
  ip tunnel change gre-pe217 mode gre local 192.0.2.10 remote 198.18.0.218 key 1217 ttl 255
else
  ip tunnel add gre-pe217 mode gre local 192.0.2.10 remote 198.18.0.218 key 1217 ttl 255
fi
ip link set gre-pe217 mtu 1476 up
ip addr replace 169.254.3.102/30 dev gre-pe217
for address in $(ip -4 -o addr show dev gre-pe217 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.102/30 ] || ip addr del "$address" dev gre-pe217
done
ip -6 addr replace fd00:d9::2/126 dev gre-pe217 nodad
for address in $(ip -6 -o addr show dev gre-pe217 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:d9::2/126 ] || ip -6 addr del "$address" dev gre-pe217
done

# gre-pe218: key 1218, 192.0.2.10 -> 198.18.0.219
if ip link show dev gre-pe218 >/dev/null 2>&1; then
  ip tunnel change gre-pe218 mode gre local 192.0.2.10 remote 198.18.0.219 key 1218 ttl 255
else
  ip tunnel add gre-pe218 mode gre local 192.0.2.10 remote 198.18.0.219 key 1218 ttl 255
fi
ip link set gre-pe218 mtu 1476 up
ip addr replace 169.254.3.106/30 dev gre-pe218
for address in $(ip -4 -o addr show dev gre-pe218 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.106/30 ] || ip addr del "$address" dev gre-pe218
done
ip -6 addr replace fd00:da::2/126 dev gre-pe218 nodad
for address in $(ip -6 -o addr show dev gre-pe218 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:da::2/126 ] || ip -6 addr del "$address" dev gre-pe218
done

# gre-pe219: key 1219, 192.0.2.10 -> 198.18.0.220
if ip link show dev gre-pe219 >/dev/null 2>&1; then
  ip tunnel change gre-pe219 mode gre local 192.0.2.10 remote 198.18.0.220 key 1219 ttl 255
else
  ip tunnel add gre-pe219 mode gre local 192.0.2.10 remote 198.18.0.220 key 1219 ttl 255
fi
ip link set gre-pe219 mtu 1476 up
ip addr replace 169.254.3.110/30 dev gre-pe219
for address in $(ip -4 -o addr show dev gre-pe219 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.110/30 ] || ip addr del "$address" dev gre-pe219
done
ip -6 addr replace fd00:db::2/126 dev gre-pe219 nodad
for address in $(ip -6 -o addr show dev gre-pe219 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:db::2/126 ] || ip -6 addr del "$address" dev gre-pe219
done

# gre-pe22: key 1022, 192.0.2.10 -> 198.18.0.23
if ip link show dev gre-pe22 >/dev/null 2>&1; then
  ip tunnel change gre-pe22 mode gre local 192.0.2.10 remote 198.18.0.23 key 1022 ttl 255
else
  ip tunnel add gre-pe22 mode gre local 192.0.2.10 remote 198.18.0.23 key 1022 ttl 255
fi
ip link set gre-pe22 mtu 1476 up
ip addr replace 169.254.0.90/30 dev gre-pe22
for address in $(ip -4 -o addr show dev gre-pe22 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.90/30 ] || ip addr del "$address" dev gre-pe22
done
ip -6 addr replace fd00:16::2/126 dev gre-pe22 nodad
for address in $(ip -6 -o addr show dev gre-pe22 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:16::2/126 ] || ip -6 addr del "$address" dev gre-pe22
done

# gre-pe220: key 1220, 192.0.2.10 -> 198.18.0.221
if ip link show dev gre-pe220 >/dev/null 2>&1; then
  ip tunnel change gre-pe220 mode gre local 192.0.2.10 remote 198.18.0.221 key 1220 ttl 255
else
  ip tunnel add gre-pe220 mode gre local 192.0.2.10 remote 198.18.0.221 key 1220 ttl 255
fi
ip link set gre-pe220 mtu 1476 up
ip addr replace 169.254.3.114/30 dev gre-pe220
for address in $(ip -4 -o addr show dev gre-pe220 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.114/30 ] || ip addr del "$address" dev gre-pe220
done
ip -6 addr replace fd00:dc::2/126 dev gre-pe220 nodad
for address in $(ip -6 -o addr show dev gre-pe220 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:dc::2/126 ] || ip -6 addr del "$address" dev gre-pe220
done

# gre-pe221: key 1221, 192.0.2.10 -> 198.18.0.222
if ip link show dev gre-pe221 >/dev/null 2>&1; then
  ip tunnel change gre-pe221 mode gre local 192.0.2.10 remote 198.18.0.222 key 1221 ttl 255
else
  ip tunnel add gre-pe221 mode gre local 192.0.2.10 remote 198.18.0.222 key 1221 ttl 255
fi
ip link set gre-pe221 mtu 1476 up
ip addr replace 169.254.3.118/30 dev gre-pe221
for address in $(ip -4 -o addr show dev gre-pe221 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.118/30 ] || ip addr del "$address" dev gre-pe221
done
ip -6 addr replace fd00:dd::2/126 dev gre-pe221 nodad
for address in $(ip -6 -o addr show dev gre-pe221 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:dd::2/126 ] || ip -6 addr del "$address" dev gre-pe221
done

# gre-pe222: key 1222, 192.0.2.10 -> 198.18.0.223
if ip link show dev gre-pe222 >/dev/null 2>&1; then
  ip tunnel change gre-pe222 mode gre local 192.0.2.10 remote 198.18.0.223 key 1222 ttl 255
else
  ip tunnel add gre-pe222 mode gre local 192.0.2.10 remote 198.18.0.223 key 1222 ttl 255
fi
ip link set gre-pe222 mtu 1476 up
ip addr replace 169.254.3.122/30 dev gre-pe222
for address in $(ip -4 -o addr show dev gre-pe222 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.122/30 ] || ip addr del "$address" dev gre-pe222
done
ip -6 addr replace fd00:de::2/126 dev gre-pe222 nodad
for address in $(ip -6 -o addr show dev gre-pe222 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:de::2/126 ] || ip -6 addr del "$address" dev gre-pe222
done

# gre-pe223: key 1223, 192.0.2.10 -> 198.18.0.224
if ip link show dev gre-pe223 >/dev/null 2>&1; then
  ip tunnel change gre-pe223 mode gre local 192.0.2.10 remote 198.18.0.224 key 1223 ttl 255
else
  ip tunnel add gre-pe223 mode gre local 192.0.2.10 remote 198.18.0.224 key 1223 ttl 255
fi
ip link set gre-pe223 mtu 1476 up
ip addr replace 169.254.3.126/30 dev gre-pe223
for address in $(ip -4 -o addr show dev gre-pe223 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.126/30 ] || ip addr del "$address" dev gre-pe223
done
ip -6 addr replace fd00:df::2/126 dev gre-pe223 nodad
for address in $(ip -6 -o addr show dev gre-pe223 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:df::2/126 ] || ip -6 addr del "$address" dev gre-pe223
done

# gre-pe224: key 1224, 192.0.2.10 -> 198.18.0.225
if ip link show dev gre-pe224 >/dev/null 2>&1; then
  ip tunnel change gre-pe224 mode gre local 192.0.2.10 remote 198.18.0.225 key 1224 ttl 255
else
  ip tunnel add gre-pe224 mode gre local 192.0.2.10 remote 198.18.0.225 key 1224 ttl 255
fi
ip link set gre-pe224 mtu 1476 up
ip addr replace 169.254.3.130/30 dev gre-pe224
for address in $(ip -4 -o addr show dev gre-pe224 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.130/30 ] || ip addr del "$address" dev gre-pe224
done
ip -6 addr replace fd00:e0::2/126 dev gre-pe224 nodad
for address in $(ip -6 -o addr show dev gre-pe224 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e0::2/126 ] || ip -6 addr del "$address" dev gre-pe224
done

# gre-pe225: key 1225, 192.0.2.10 -> 198.18.0.226
if ip link show dev gre-pe225 >/dev/null 2>&1; then
  ip tunnel change gre-pe225 mode gre local 192.0.2.10 remote 198.18.0.226 key 1225 ttl 255
else
  ip tunnel add gre-pe225 mode gre local 192.0.2.10 remote 198.18.0.226 key 1225 ttl 255
fi
ip link set gre-pe225 mtu 1476 up
ip addr replace 169.254.3.134/30 dev gre-pe225
for address in $(ip -4 -o addr show dev gre-pe225 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.134/30 ] || ip addr del "$address" dev gre-pe225
done
ip -6 addr replace fd00:e1::2/126 dev gre-pe225 nodad
for address in $(ip -6 -o addr show dev gre-pe225 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e1::2/126 ] || ip -6 addr del "$address" dev gre-pe225
done

# gre-pe226: key 1226, 192.0.2.10 -> 198.18.0.227
if ip link show dev gre-pe226 >/dev/null 2>&1; then
  ip tunnel change gre-pe226 mode gre local 192.0.2.10 remote 198.18.0.227 key 1226 ttl 255
else
  ip tunnel add gre-pe226 mode gre local 192.0.2.10 remote 198.18.0.227 key 1226 ttl 255
fi
ip link set gre-pe226 mtu 1476 up
ip addr replace 169.254.3.138/30 dev gre-pe226
for address in $(ip -4 -o addr show dev gre-pe226 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.138/30 ] || ip addr del "$address" dev gre-pe226
done
ip -6 addr replace fd00:e2::2/126 dev gre-pe226 nodad
for address in $(ip -6 -o addr show dev gre-pe226 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e2::2/126 ] || ip -6 addr del "$address" dev gre-pe226
done

# gre-pe227: key 1227, 192.0.2.10 -> 198.18.0.228
if ip link show dev gre-pe227 >/dev/null 2>&1; then
  ip tunnel change gre-pe227 mode gre local 192.0.2.10 remote 198.18.0.228 key 1227 ttl 255
else
  ip tunnel add gre-pe227 mode gre local 192.0.2.10 remote 198.18.0.228 key 1227 ttl 255
fi
ip link set gre-pe227 mtu 1476 up
ip addr replace 169.254.3.142/30 dev gre-pe227
for address in $(ip -4 -o addr show dev gre-pe227 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.142/30 ] || ip addr del "$address" dev gre-pe227
done
ip -6 addr replace fd00:e3::2/126 dev gre-pe227 nodad
for address in $(ip -6 -o addr show dev gre-pe227 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e3::2/126 ] || ip -6 addr del "$address" dev gre-pe227
done

# gre-pe228: key 1228, 192.0.2.10 -> 198.18.0.229
if ip link show dev gre-pe228 >/dev/null 2>&1; then
  ip tunnel change gre-pe228 mode gre local 192.0.2.10 remote 198.18.0.229 key 1228 ttl 255
else
  ip tunnel add gre-pe228 mode gre local 192.0.2.10 remote 198.18.0.229 key 1228 ttl 255
fi
ip link set gre-pe228 mtu 1476 up
ip addr replace 169.254.3.146/30 dev gre-pe228
for address in $(ip -4 -o addr show dev gre-pe228 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.146/30 ] || ip addr del "$address" dev gre-pe228
done
ip -6 addr replace fd00:e4::2/126 dev gre-pe228 nodad
for address in $(ip -6 -o addr show dev gre-pe228 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e4::2/126 ] || ip -6 addr del "$address" dev gre-pe228
done

# gre-pe229: key 1229, 192.0.2.10 -> 198.18.0.230
if ip link show dev gre-pe229 >/dev/null 2>&1; then
  ip tunnel change gre-pe229 mode gre local 192.0.2.10 remote 198.18.0.230 key 1229 ttl 255
else
  ip tunnel add gre-pe229 mode gre local 192.0.2.10 remote 198.18.0.230 key 1229 ttl 255
fi
ip link set gre-pe229 mtu 1476 up
ip addr replace 169.254.3.150/30 dev gre-pe229
for address in $(ip -4 -o addr show dev gre-pe229 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.150/30 ] || ip addr del "$address" dev gre-pe229
done
ip -6 addr replace fd00:e5::2/126 dev gre-pe229 nodad
for address in $(ip -6 -o addr show dev gre-pe229 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e5::2/126 ] || ip -6 addr del "$address" dev gre-pe229
done

# gre-pe23: key 1023, 192.0.2.10 -> 198.18.0.24
if ip link show dev gre-pe23 >/dev/null 2>&1; then
  ip tunnel change gre-pe23 mode gre local 192.0.2.10 remote 198.18.0.24 key 1023 ttl 255
else
  ip tunnel add gre-pe23 mode gre local 192.0.2.10 remote 198.18.0.24 key 1023 ttl 255
fi
ip link set gre-pe23 mtu 1476 up
ip addr replace 169.254.0.94/30 dev gre-pe23
for address in $(ip -4 -o addr show dev gre-pe23 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.94/30 ] || ip addr del "$address" dev gre-pe23
done
ip -6 addr replace fd00:17::2/126 dev gre-pe23 nodad
for address in $(ip -6 -o addr show dev gre-pe23 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:17::2/126 ] || ip -6 addr del "$address" dev gre-pe23
done

# gre-pe230: key 1230, 192.0.2.10 -> 198.18.0.231
if ip link show dev gre-pe230 >/dev/null 2>&1; then
  ip tunnel change gre-pe230 mode gre local 192.0.2.10 remote 198.18.0.231 key 1230 ttl 255
else
  ip tunnel add gre-pe230 mode gre local 192.0.2.10 remote 198.18.0.231 key 1230 ttl 255
fi
ip link set gre-pe230 mtu 1476 up
ip addr replace 169.254.3.154/30 dev gre-pe230
for address in $(ip -4 -o addr show dev gre-pe230 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.154/30 ] || ip addr del "$address" dev gre-pe230
done
ip -6 addr replace fd00:e6::2/126 dev gre-pe230 nodad
for address in $(ip -6 -o addr show dev gre-pe230 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e6::2/126 ] || ip -6 addr del "$address" dev gre-pe230
done

# gre-pe231: key 1231, 192.0.2.10 -> 198.18.0.232
if ip link show dev gre-pe231 >/dev/null 2>&1; then
  ip tunnel change gre-pe231 mode gre local 192.0.2.10 remote 198.18.0.232 key 1231 ttl 255
else
  ip tunnel add gre-pe231 mode gre local 192.0.2.10 remote 198.18.0.232 key 1231 ttl 255
fi
ip link set gre-pe231 mtu 1476 up
ip addr replace 169.254.3.158/30 dev gre-pe231
for address in $(ip -4 -o addr show dev gre-pe231 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.158/30 ] || ip addr del "$address" dev gre-pe231
done
ip -6 addr replace fd00:e7::2/126 dev gre-pe231 nodad
for address in $(ip -6 -o addr show dev gre-pe231 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e7::2/126 ] || ip -6 addr del "$address" dev gre-pe231
done

# gre-pe232: key 1232, 192.0.2.10 -> 198.18.0.233
if ip link show dev gre-pe232 >/dev/null 2>&1; then
  ip tunnel change gre-pe232 mode gre local 192.0.2.10 remote 198.18.0.233 key 1232 ttl 255
else
  ip tunnel add gre-pe232 mode gre local 192.0.2.10 remote 198.18.0.233 key 1232 ttl 255
fi
ip link set gre-pe232 mtu 1476 up
ip addr replace 169.254.3.162/30 dev gre-pe232
for address in $(ip -4 -o addr show dev gre-pe232 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.162/30 ] || ip addr del "$address" dev gre-pe232
done
ip -6 addr replace fd00:e8::2/126 dev gre-pe232 nodad
for address in $(ip -6 -o addr show dev gre-pe232 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e8::2/126 ] || ip -6 addr del "$address" dev gre-pe232
done

# gre-pe233: key 1233, 192.0.2.10 -> 198.18.0.234
if ip link show dev gre-pe233 >/dev/null 2>&1; then
  ip tunnel change gre-pe233 mode gre local 192.0.2.10 remote 198.18.0.234 key 1233 ttl 255
else
  ip tunnel add gre-pe233 mode gre local 192.0.2.10 remote 198.18.0.234 key 1233 ttl 255
fi
ip link set gre-pe233 mtu 1476 up
ip addr replace 169.254.3.166/30 dev gre-pe233
for address in $(ip -4 -o addr show dev gre-pe233 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.166/30 ] || ip addr del "$address" dev gre-pe233
done
ip -6 addr replace fd00:e9::2/126 dev gre-pe233 nodad
for address in $(ip -6 -o addr show dev gre-pe233 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:e9::2/126 ] || ip -6 addr del "$address" dev gre-pe233
done

# gre-pe234: key 1234, 192.0.2.10 -> 198.18.0.235
if ip link show dev gre-pe234 >/dev/null 2>&1; then
  ip tunnel change gre-pe234 mode gre local 192.0.2.10 remote 198.18.0.235 key 1234 ttl 255
else
  ip tunnel add gre-pe234 mode gre local 192.0.2.10 remote 198.18.0.235 key 1234 ttl 255
fi
ip link set gre-pe234 mtu 1476 up
ip addr replace 169.254.3.170/30 dev gre-pe234
for address in $(ip -4 -o addr show dev gre-pe234 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.170/30 ] || ip addr del "$address" dev gre-pe234
done
ip -6 addr replace fd00:ea::2/126 dev gre-pe234 nodad
for address in $(ip -6 -o addr show dev gre-pe234 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ea::2/126 ] || ip -6 addr del "$address" dev gre-pe234
done

# gre-pe235: key 1235, 192.0.2.10 -> 198.18.0.236
if ip link show dev gre-pe235 >/dev/null 2>&1; then
  ip tunnel change gre-pe235 mode gre local 192.0.2.10 remote 198.18.0.236 key 1235 ttl 255
else
  ip tunnel add gre-pe235 mode gre local 192.0.2.10 remote 198.18.0.236 key 1235 ttl 255
fi
ip link set gre-pe235 mtu 1476 up
ip addr replace 169.254.3.174/30 dev gre-pe235
for address in $(ip -4 -o addr show dev gre-pe235 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.174/30 ] || ip addr del "$address" dev gre-pe235
done
ip -6 addr replace fd00:eb::2/126 dev gre-pe235 nodad
for address in $(ip -6 -o addr show dev gre-pe235 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:eb::2/126 ] || ip -6 addr del "$address" dev gre-pe235
done

# gre-pe236: key 1236, 192.0.2.10 -> 198.18.0.237
if ip link show dev gre-pe236 >/dev/null 2>&1; then
  ip tunnel change gre-pe236 mode gre local 192.0.2.10 remote 198.18.0.237 key 1236 ttl 255
else
  ip tunnel add gre-pe236 mode gre local 192.0.2.10 remote 198.18.0.237 key 1236 ttl 255
fi
ip link set gre-pe236 mtu 1476 up
ip addr replace 169.254.3.178/30 dev gre-pe236
for address in $(ip -4 -o addr show dev gre-pe236 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.178/30 ] || ip addr del "$address" dev gre-pe236
done
ip -6 addr replace fd00:ec::2/126 dev gre-pe236 nodad
for address in $(ip -6 -o addr show dev gre-pe236 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ec::2/126 ] || ip -6 addr del "$address" dev gre-pe236
done

# gre-pe237: key 1237, 192.0.2.10 -> 198.18.0.238
if ip link show dev gre-pe237 >/dev/null 2>&1; then
  ip tunnel change gre-pe237 mode gre local 192.0.2.10 remote 198.18.0.238 key 1237 ttl 255
else
  ip tunnel add gre-pe237 mode gre local 192.0.2.10 remote 198.18.0.238 key 1237 ttl 255
fi
ip link set gre-pe237 mtu 1476 up
ip addr replace 169.254.3.182/30 dev gre-pe237
for address in $(ip -4 -o addr show dev gre-pe237 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.182/30 ] || ip addr del "$address" dev gre-pe237
done
ip -6 addr replace fd00:ed::2/126 dev gre-pe237 nodad
for address in $(ip -6 -o addr show dev gre-pe237 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ed::2/126 ] || ip -6 addr del "$address" dev gre-pe237
done

# gre-pe238: key 1238, 192.0.2.10 -> 198.18.0.239
if ip link show dev gre-pe238 >/dev/null 2>&1; then
  ip tunnel change gre-pe238 mode gre local 192.0.2.10 remote 198.18.0.239 key 1238 ttl 255
else
  ip tunnel add gre-pe238 mode gre local 192.0.2.10 remote 198.18.0.239 key 1238 ttl 255
fi
ip link set gre-pe238 mtu 1476 up
ip addr replace 169.254.3.186/30 dev gre-pe238
for address in $(ip -4 -o addr show dev gre-pe238 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.186/30 ] || ip addr del "$address" dev gre-pe238
done
ip -6 addr replace fd00:ee::2/126 dev gre-pe238 nodad
for address in $(ip -6 -o addr show dev gre-pe238 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ee::2/126 ] || ip -6 addr del "$address" dev gre-pe238
done

# gre-pe239: key 1239, 192.0.2.10 -> 198.18.0.240
if ip link show dev gre-pe239 >/dev/null 2>&1; then
  ip tunnel change gre-pe239 mode gre local 192.0.2.10 remote 198.18.0.240 key 1239 ttl 255
else
  ip tunnel add gre-pe239 mode gre local 192.0.2.10 remote 198.18.0.240 key 1239 ttl 255
fi
ip link set gre-pe239 mtu 1476 up
ip addr replace 169.254.3.190/30 dev gre-pe239
for address in $(ip -4 -o addr show dev gre-pe239 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.190/30 ] || ip addr del "$address" dev gre-pe239
done
ip -6 addr replace fd00:ef::2/126 dev gre-pe239 nodad
for address in $(ip -6 -o addr show dev gre-pe239 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:ef::2/126 ] || ip -6 addr del "$address" dev gre-pe239
done

# gre-pe24: key 1024, 192.0.2.10 -> 198.18.0.25
if ip link show dev gre-pe24 >/dev/null 2>&1; then
  ip tunnel change gre-pe24 mode gre local 192.0.2.10 remote 198.18.0.25 key 1024 ttl 255
else
  ip tunnel add gre-pe24 mode gre local 192.0.2.10 remote 198.18.0.25 key 1024 ttl 255
fi
ip link set gre-pe24 mtu 1476 up
ip addr replace 169.254.0.98/30 dev gre-pe24
for address in $(ip -4 -o addr show dev gre-pe24 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.98/30 ] || ip addr del "$address" dev gre-pe24
done
ip -6 addr replace fd00:18::2/126 dev gre-pe24 nodad
for address in $(ip -6 -o addr show dev gre-pe24 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:18::2/126 ] || ip -6 addr del "$address" dev gre-pe24
done

# gre-pe240: key 1240, 192.0.2.10 -> 198.18.0.241
if ip link show dev gre-pe240 >/dev/null 2>&1; then
  ip tunnel change gre-pe240 mode gre local 192.0.2.10 remote 198.18.0.241 key 1240 ttl 255
else
  ip tunnel add gre-pe240 mode gre local 192.0.2.10 remote 198.18.0.241 key 1240 ttl 255
fi
ip link set gre-pe240 mtu 1476 up
ip addr replace 169.254.3.194/30 dev gre-pe240
for address in $(ip -4 -o addr show dev gre-pe240 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.194/30 ] || ip addr del "$address" dev gre-pe240
done
ip -6 addr replace fd00:f0::2/126 dev gre-pe240 nodad
for address in $(ip -6 -o addr show dev gre-pe240 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f0::2/126 ] || ip -6 addr del "$address" dev gre-pe240
done

# gre-pe241: key 1241, 192.0.2.10 -> 198.18.0.242
if ip link show dev gre-pe241 >/dev/null 2>&1; then
  ip tunnel change gre-pe241 mode gre local 192.0.2.10 remote 198.18.0.242 key 1241 ttl 255
else
  ip tunnel add gre-pe241 mode gre local 192.0.2.10 remote 198.18.0.242 key 1241 ttl 255
fi
ip link set gre-pe241 mtu 1476 up
ip addr replace 169.254.3.198/30 dev gre-pe241
for address in $(ip -4 -o addr show dev gre-pe241 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.198/30 ] || ip addr del "$address" dev gre-pe241
done
ip -6 addr replace fd00:f1::2/126 dev gre-pe241 nodad
for address in $(ip -6 -o addr show dev gre-pe241 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f1::2/126 ] || ip -6 addr del "$address" dev gre-pe241
done

# gre-pe242: key 1242, 192.0.2.10 -> 198.18.0.243
if ip link show dev gre-pe242 >/dev/null 2>&1; then
  ip tunnel change gre-pe242 mode gre local 192.0.2.10 remote 198.18.0.243 key 1242 ttl 255
else
  ip tunnel add gre-pe242 mode gre local 192.0.2.10 remote 198.18.0.243 key 1242 ttl 255
fi
ip link set gre-pe242 mtu 1476 up
ip addr replace 169.254.3.202/30 dev gre-pe242
for address in $(ip -4 -o addr show dev gre-pe242 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.202/30 ] || ip addr del "$address" dev gre-pe242
done
ip -6 addr replace fd00:f2::2/126 dev gre-pe242 nodad
for address in $(ip -6 -o addr show dev gre-pe242 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f2::2/126 ] || ip -6 addr del "$address" dev gre-pe242
done

# gre-pe243: key 1243, 192.0.2.10 -> 198.18.0.244
if ip link show dev gre-pe243 >/dev/null 2>&1; then
  ip tunnel change gre-pe243 mode gre local 192.0.2.10 remote 198.18.0.244 key 1243 ttl 255
else
  ip tunnel add gre-pe243 mode gre local 192.0.2.10 remote 198.18.0.244 key 1243 ttl 255
fi
ip link set gre-pe243 mtu 1476 up
ip addr replace 169.254.3.206/30 dev gre-pe243
for address in $(ip -4 -o addr show dev gre-pe243 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.206/30 ] || ip addr del "$address" dev gre-pe243
done
ip -6 addr replace fd00:f3::2/126 dev gre-pe243 nodad
for address in $(ip -6 -o addr show dev gre-pe243 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f3::2/126 ] || ip -6 addr del "$address" dev gre-pe243
done

# gre-pe244: key 1244, 192.0.2.10 -> 198.18.0.245
if ip link show dev gre-pe244 >/dev/null 2>&1; then
  ip tunnel change gre-pe244 mode gre local 192.0.2.10 remote 198.18.0.245 key 1244 ttl 255
else
  ip tunnel add gre-pe244 mode gre local 192.0.2.10 remote 198.18.0.245 key 1244 ttl 255
fi
ip link set gre-pe244 mtu 1476 up
ip addr replace 169.254.3.210/30 dev gre-pe244
for address in $(ip -4 -o addr show dev gre-pe244 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.210/30 ] || ip addr del "$address" dev gre-pe244
done
ip -6 addr replace fd00:f4::2/126 dev gre-pe244 nodad
for address in $(ip -6 -o addr show dev gre-pe244 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f4::2/126 ] || ip -6 addr del "$address" dev gre-pe244
done

# gre-pe245: key 1245, 192.0.2.10 -> 198.18.0.246
if ip link show dev gre-pe245 >/dev/null 2>&1; then
  ip tunnel change gre-pe245 mode gre local 192.0.2.10 remote 198.18.0.246 key 1245 ttl 255
else
  ip tunnel add gre-pe245 mode gre local 192.0.2.10 remote 198.18.0.246 key 1245 ttl 255
fi
ip link set gre-pe245 mtu 1476 up
ip addr replace 169.254.3.214/30 dev gre-pe245
for address in $(ip -4 -o addr show dev gre-pe245 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.214/30 ] || ip addr del "$address" dev gre-pe245
done
ip -6 addr replace fd00:f5::2/126 dev gre-pe245 nodad
for address in $(ip -6 -o addr show dev gre-pe245 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f5::2/126 ] || ip -6 addr del "$address" dev gre-pe245
done

# gre-pe246: key 1246, 192.0.2.10 -> 198.18.0.247
if ip link show dev gre-pe246 >/dev/null 2>&1; then
  ip tunnel change gre-pe246 mode gre local 192.0.2.10 remote 198.18.0.247 key 1246 ttl 255
else
  ip tunnel add gre-pe246 mode gre local 192.0.2.10 remote 198.18.0.247 key 1246 ttl 255
fi
ip link set gre-pe246 mtu 1476 up
ip addr replace 169.254.3.218/30 dev gre-pe246
for address in $(ip -4 -o addr show dev gre-pe246 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.218/30 ] || ip addr del "$address" dev gre-pe246
done
ip -6 addr replace fd00:f6::2/126 dev gre-pe246 nodad
for address in $(ip -6 -o addr show dev gre-pe246 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f6::2/126 ] || ip -6 addr del "$address" dev gre-pe246
done

# gre-pe247: key 1247, 192.0.2.10 -> 198.18.0.248
if ip link show dev gre-pe247 >/dev/null 2>&1; then
  ip tunnel change gre-pe247 mode gre local 192.0.2.10 remote 198.18.0.248 key 1247 ttl 255
else
  ip tunnel add gre-pe247 mode gre local 192.0.2.10 remote 198.18.0.248 key 1247 ttl 255
fi
ip link set gre-pe247 mtu 1476 up
ip addr replace 169.254.3.222/30 dev gre-pe247
for address in $(ip -4 -o addr show dev gre-pe247 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.222/30 ] || ip addr del "$address" dev gre-pe247
done
ip -6 addr replace fd00:f7::2/126 dev gre-pe247 nodad
for address in $(ip -6 -o addr show dev gre-pe247 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f7::2/126 ] || ip -6 addr del "$address" dev gre-pe247
done

# gre-pe248: key 1248, 192.0.2.10 -> 198.18.0.249
if ip link show dev gre-pe248 >/dev/null 2>&1; then
  ip tunnel change gre-pe248 mode gre local 192.0.2.10 remote 198.18.0.249 key 1248 ttl 255
else
  ip tunnel add gre-pe248 mode gre local 192.0.2.10 remote 198.18.0.249 key 1248 ttl 255
fi
ip link set gre-pe248 mtu 1476 up
ip addr replace 169.254.3.226/30 dev gre-pe248
for address in $(ip -4 -o addr show dev gre-pe248 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.226/30 ] || ip addr del "$address" dev gre-pe248
done
ip -6 addr replace fd00:f8::2/126 dev gre-pe248 nodad
for address in $(ip -6 -o addr show dev gre-pe248 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f8::2/126 ] || ip -6 addr del "$address" dev gre-pe248
done

# gre-pe249: key 1249, 192.0.2.10 -> 198.18.0.250
if ip link show dev gre-pe249 >/dev/null 2>&1; then
  ip tunnel change gre-pe249 mode gre local 192.0.2.10 remote 198.18.0.250 key 1249 ttl 255
else
  ip tunnel add gre-pe249 mode gre local 192.0.2.10 remote 198.18.0.250 key 1249 ttl 255
fi
ip link set gre-pe249 mtu 1476 up
ip addr replace 169.254.3.230/30 dev gre-pe249
for address in $(ip -4 -o addr show dev gre-pe249 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.230/30 ] || ip addr del "$address" dev gre-pe249
done
ip -6 addr replace fd00:f9::2/126 dev gre-pe249 nodad
for address in $(ip -6 -o addr show dev gre-pe249 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:f9::2/126 ] || ip -6 addr del "$address" dev gre-pe249
done

# gre-pe25: key 1025, 192.0.2.10 -> 198.18.0.26
if ip link show dev gre-pe25 >/dev/null 2>&1; then
  ip tunnel change gre-pe25 mode gre local 192.0.2.10 remote 198.18.0.26 key 1025 ttl 255
else
  ip tunnel add gre-pe25 mode gre local 192.0.2.10 remote 198.18.0.26 key 1025 ttl 255
fi
ip link set gre-pe25 mtu 1476 up
ip addr replace 169.254.0.102/30 dev gre-pe25
for address in $(ip -4 -o addr show dev gre-pe25 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.102/30 ] || ip addr del "$address" dev gre-pe25
done
ip -6 addr replace fd00:19::2/126 dev gre-pe25 nodad
for address in $(ip -6 -o addr show dev gre-pe25 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:19::2/126 ] || ip -6 addr del "$address" dev gre-pe25
done

# gre-pe250: key 1250, 192.0.2.10 -> 198.18.1.1
if ip link show dev gre-pe250 >/dev/null 2>&1; then
  ip tunnel change gre-pe250 mode gre local 192.0.2.10 remote 198.18.1.1 key 1250 ttl 255
else
  ip tunnel add gre-pe250 mode gre local 192.0.2.10 remote 198.18.1.1 key 1250 ttl 255
fi
ip link set gre-pe250 mtu 1476 up
ip addr replace 169.254.3.234/30 dev gre-pe250
for address in $(ip -4 -o addr show dev gre-pe250 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.3.234/30 ] || ip addr del "$address" dev gre-pe250
done
ip -6 addr replace fd00:fa::2/126 dev gre-pe250 nodad
for address in $(ip -6 -o addr show dev gre-pe250 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:fa::2/126 ] || ip -6 addr del "$address" dev gre-pe250
done

# gre-pe26: key 1026, 192.0.2.10 -> 198.18.0.27
if ip link show dev gre-pe26 >/dev/null 2>&1; then
  ip tunnel change gre-pe26 mode gre local 192.0.2.10 remote 198.18.0.27 key 1026 ttl 255
else
  ip tunnel add gre-pe26 mode gre local 192.0.2.10 remote 198.18.0.27 key 1026 ttl 255
fi
ip link set gre-pe26 mtu 1476 up
ip addr replace 169.254.0.106/30 dev gre-pe26
for address in $(ip -4 -o addr show dev gre-pe26 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.106/30 ] || ip addr del "$address" dev gre-pe26
done
ip -6 addr replace fd00:1a::2/126 dev gre-pe26 nodad
for address in $(ip -6 -o addr show dev gre-pe26 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1a::2/126 ] || ip -6 addr del "$address" dev gre-pe26
done

# gre-pe27: key 1027, 192.0.2.10 -> 198.18.0.28
if ip link show dev gre-pe27 >/dev/null 2>&1; then
  ip tunnel change gre-pe27 mode gre local 192.0.2.10 remote 198.18.0.28 key 1027 ttl 255
else
  ip tunnel add gre-pe27 mode gre local 192.0.2.10 remote 198.18.0.28 key 1027 ttl 255
fi
ip link set gre-pe27 mtu 1476 up
ip addr replace 169.254.0.110/30 dev gre-pe27
for address in $(ip -4 -o addr show dev gre-pe27 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.110/30 ] || ip addr del "$address" dev gre-pe27
done
ip -6 addr replace fd00:1b::2/126 dev gre-pe27 nodad
for address in $(ip -6 -o addr show dev gre-pe27 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1b::2/126 ] || ip -6 addr del "$address" dev gre-pe27
done

# gre-pe28: key 1028, 192.0.2.10 -> 198.18.0.29
if ip link show dev gre-pe28 >/dev/null 2>&1; then
  ip tunnel change gre-pe28 mode gre local 192.0.2.10 remote 198.18.0.29 key 1028 ttl 255
else
  ip tunnel add gre-pe28 mode gre local 192.0.2.10 remote 198.18.0.29 key 1028 ttl 255
fi
ip link set gre-pe28 mtu 1476 up
ip addr replace 169.254.0.114/30 dev gre-pe28
for address in $(ip -4 -o addr show dev gre-pe28 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.114/30 ] || ip addr del "$address" dev gre-pe28
done
ip -6 addr replace fd00:1c::2/126 dev gre-pe28 nodad
for address in $(ip -6 -o addr show dev gre-pe28 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1c::2/126 ] || ip -6 addr del "$address" dev gre-pe28
done

# gre-pe29: key 1029, 192.0.2.10 -> 198.18.0.30
if ip link show dev gre-pe29 >/dev/null 2>&1; then
  ip tunnel change gre-pe29 mode gre local 192.0.2.10 remote 198.18.0.30 key 1029 ttl 255
else
  ip tunnel add gre-pe29 mode gre local 192.0.2.10 remote 198.18.0.30 key 1029 ttl 255
fi
ip link set gre-pe29 mtu 1476 up
ip addr replace 169.254.0.118/30 dev gre-pe29
for address in $(ip -4 -o addr show dev gre-pe29 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.118/30 ] || ip addr del "$address" dev gre-pe29
done
ip -6 addr replace fd00:1d::2/126 dev gre-pe29 nodad
for address in $(ip -6 -o addr show dev gre-pe29 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1d::2/126 ] || ip -6 addr del "$address" dev gre-pe29
done

# gre-pe3: key 1003, 192.0.2.10 -> 198.18.0.4
if ip link show dev gre-pe3 >/dev/null 2>&1; then
  ip tunnel change gre-pe3 mode gre local 192.0.2.10 remote 198.18.0.4 key 1003 ttl 255
else
  ip tunnel add gre-pe3 mode gre local 192.0.2.10 remote 198.18.0.4 key 1003 ttl 255
fi
ip link set gre-pe3 mtu 1476 up
ip addr replace 169.254.0.14/30 dev gre-pe3
for address in $(ip -4 -o addr show dev gre-pe3 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.14/30 ] || ip addr del "$address" dev gre-pe3
done
ip -6 addr replace fd00:3::2/126 dev gre-pe3 nodad
for address in $(ip -6 -o addr show dev gre-pe3 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3::2/126 ] || ip -6 addr del "$address" dev gre-pe3
done

# gre-pe30: key 1030, 192.0.2.10 -> 198.18.0.31
if ip link show dev gre-pe30 >/dev/null 2>&1; then
  ip tunnel change gre-pe30 mode gre local 192.0.2.10 remote 198.18.0.31 key 1030 ttl 255
else
  ip tunnel add gre-pe30 mode gre local 192.0.2.10 remote 198.18.0.31 key 1030 ttl 255
fi
ip link set gre-pe30 mtu 1476 up
ip addr replace 169.254.0.122/30 dev gre-pe30
for address in $(ip -4 -o addr show dev gre-pe30 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.122/30 ] || ip addr del "$address" dev gre-pe30
done
ip -6 addr replace fd00:1e::2/126 dev gre-pe30 nodad
for address in $(ip -6 -o addr show dev gre-pe30 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1e::2/126 ] || ip -6 addr del "$address" dev gre-pe30
done

# gre-pe31: key 1031, 192.0.2.10 -> 198.18.0.32
if ip link show dev gre-pe31 >/dev/null 2>&1; then
  ip tunnel change gre-pe31 mode gre local 192.0.2.10 remote 198.18.0.32 key 1031 ttl 255
else
  ip tunnel add gre-pe31 mode gre local 192.0.2.10 remote 198.18.0.32 key 1031 ttl 255
fi
ip link set gre-pe31 mtu 1476 up
ip addr replace 169.254.0.126/30 dev gre-pe31
for address in $(ip -4 -o addr show dev gre-pe31 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.126/30 ] || ip addr del "$address" dev gre-pe31
done
ip -6 addr replace fd00:1f::2/126 dev gre-pe31 nodad
for address in $(ip -6 -o addr show dev gre-pe31 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:1f::2/126 ] || ip -6 addr del "$address" dev gre-pe31
done

# gre-pe32: key 1032, 192.0.2.10 -> 198.18.0.33
if ip link show dev gre-pe32 >/dev/null 2>&1; then
  ip tunnel change gre-pe32 mode gre local 192.0.2.10 remote 198.18.0.33 key 1032 ttl 255
else
  ip tunnel add gre-pe32 mode gre local 192.0.2.10 remote 198.18.0.33 key 1032 ttl 255
fi
ip link set gre-pe32 mtu 1476 up
ip addr replace 169.254.0.130/30 dev gre-pe32
for address in $(ip -4 -o addr show dev gre-pe32 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.130/30 ] || ip addr del "$address" dev gre-pe32
done
ip -6 addr replace fd00:20::2/126 dev gre-pe32 nodad
for address in $(ip -6 -o addr show dev gre-pe32 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:20::2/126 ] || ip -6 addr del "$address" dev gre-pe32
done

# gre-pe33: key 1033, 192.0.2.10 -> 198.18.0.34
if ip link show dev gre-pe33 >/dev/null 2>&1; then
  ip tunnel change gre-pe33 mode gre local 192.0.2.10 remote 198.18.0.34 key 1033 ttl 255
else
  ip tunnel add gre-pe33 mode gre local 192.0.2.10 remote 198.18.0.34 key 1033 ttl 255
fi
ip link set gre-pe33 mtu 1476 up
ip addr replace 169.254.0.134/30 dev gre-pe33
for address in $(ip -4 -o addr show dev gre-pe33 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.134/30 ] || ip addr del "$address" dev gre-pe33
done
ip -6 addr replace fd00:21::2/126 dev gre-pe33 nodad
for address in $(ip -6 -o addr show dev gre-pe33 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:21::2/126 ] || ip -6 addr del "$address" dev gre-pe33
done

# gre-pe34: key 1034, 192.0.2.10 -> 198.18.0.35
if ip link show dev gre-pe34 >/dev/null 2>&1; then
  ip tunnel change gre-pe34 mode gre local 192.0.2.10 remote 198.18.0.35 key 1034 ttl 255
else
  ip tunnel add gre-pe34 mode gre local 192.0.2.10 remote 198.18.0.35 key 1034 ttl 255
fi
ip link set gre-pe34 mtu 1476 up
ip addr replace 169.254.0.138/30 dev gre-pe34
for address in $(ip -4 -o addr show dev gre-pe34 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.138/30 ] || ip addr del "$address" dev gre-pe34
done
ip -6 addr replace fd00:22::2/126 dev gre-pe34 nodad
for address in $(ip -6 -o addr show dev gre-pe34 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:22::2/126 ] || ip -6 addr del "$address" dev gre-pe34
done

# gre-pe35: key 1035, 192.0.2.10 -> 198.18.0.36
if ip link show dev gre-pe35 >/dev/null 2>&1; then
  ip tunnel change gre-pe35 mode gre local 192.0.2.10 remote 198.18.0.36 key 1035 ttl 255
else
  ip tunnel add gre-pe35 mode gre local 192.0.2.10 remote 198.18.0.36 key 1035 ttl 255
fi
ip link set gre-pe35 mtu 1476 up
ip addr replace 169.254.0.142/30 dev gre-pe35
for address in $(ip -4 -o addr show dev gre-pe35 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.142/30 ] || ip addr del "$address" dev gre-pe35
done
ip -6 addr replace fd00:23::2/126 dev gre-pe35 nodad
for address in $(ip -6 -o addr show dev gre-pe35 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:23::2/126 ] || ip -6 addr del "$address" dev gre-pe35
done

# gre-pe36: key 1036, 192.0.2.10 -> 198.18.0.37
if ip link show dev gre-pe36 >/dev/null 2>&1; then
  ip tunnel change gre-pe36 mode gre local 192.0.2.10 remote 198.18.0.37 key 1036 ttl 255
else
  ip tunnel add gre-pe36 mode gre local 192.0.2.10 remote 198.18.0.37 key 1036 ttl 255
fi
ip link set gre-pe36 mtu 1476 up
ip addr replace 169.254.0.146/30 dev gre-pe36
for address in $(ip -4 -o addr show dev gre-pe36 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.146/30 ] || ip addr del "$address" dev gre-pe36
done
ip -6 addr replace fd00:24::2/126 dev gre-pe36 nodad
for address in $(ip -6 -o addr show dev gre-pe36 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:24::2/126 ] || ip -6 addr del "$address" dev gre-pe36
done

# gre-pe37: key 1037, 192.0.2.10 -> 198.18.0.38
if ip link show dev gre-pe37 >/dev/null 2>&1; then
  ip tunnel change gre-pe37 mode gre local 192.0.2.10 remote 198.18.0.38 key 1037 ttl 255
else
  ip tunnel add gre-pe37 mode gre local 192.0.2.10 remote 198.18.0.38 key 1037 ttl 255
fi
ip link set gre-pe37 mtu 1476 up
ip addr replace 169.254.0.150/30 dev gre-pe37
for address in $(ip -4 -o addr show dev gre-pe37 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.150/30 ] || ip addr del "$address" dev gre-pe37
done
ip -6 addr replace fd00:25::2/126 dev gre-pe37 nodad
for address in $(ip -6 -o addr show dev gre-pe37 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:25::2/126 ] || ip -6 addr del "$address" dev gre-pe37
done

# gre-pe38: key 1038, 192.0.2.10 -> 198.18.0.39
if ip link show dev gre-pe38 >/dev/null 2>&1; then
  ip tunnel change gre-pe38 mode gre local 192.0.2.10 remote 198.18.0.39 key 1038 ttl 255
else
  ip tunnel add gre-pe38 mode gre local 192.0.2.10 remote 198.18.0.39 key 1038 ttl 255
fi
ip link set gre-pe38 mtu 1476 up
ip addr replace 169.254.0.154/30 dev gre-pe38
for address in $(ip -4 -o addr show dev gre-pe38 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.154/30 ] || ip addr del "$address" dev gre-pe38
done
ip -6 addr replace fd00:26::2/126 dev gre-pe38 nodad
for address in $(ip -6 -o addr show dev gre-pe38 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:26::2/126 ] || ip -6 addr del "$address" dev gre-pe38
done

# gre-pe39: key 1039, 192.0.2.10 -> 198.18.0.40
if ip link show dev gre-pe39 >/dev/null 2>&1; then
  ip tunnel change gre-pe39 mode gre local 192.0.2.10 remote 198.18.0.40 key 1039 ttl 255
else
  ip tunnel add gre-pe39 mode gre local 192.0.2.10 remote 198.18.0.40 key 1039 ttl 255
fi
ip link set gre-pe39 mtu 1476 up
ip addr replace 169.254.0.158/30 dev gre-pe39
for address in $(ip -4 -o addr show dev gre-pe39 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.158/30 ] || ip addr del "$address" dev gre-pe39
done
ip -6 addr replace fd00:27::2/126 dev gre-pe39 nodad
for address in $(ip -6 -o addr show dev gre-pe39 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:27::2/126 ] || ip -6 addr del "$address" dev gre-pe39
done

# gre-pe4: key 1004, 192.0.2.10 -> 198.18.0.5
if ip link show dev gre-pe4 >/dev/null 2>&1; then
  ip tunnel change gre-pe4 mode gre local 192.0.2.10 remote 198.18.0.5 key 1004 ttl 255
else
  ip tunnel add gre-pe4 mode gre local 192.0.2.10 remote 198.18.0.5 key 1004 ttl 255
fi
ip link set gre-pe4 mtu 1476 up
ip addr replace 169.254.0.18/30 dev gre-pe4
for address in $(ip -4 -o addr show dev gre-pe4 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.18/30 ] || ip addr del "$address" dev gre-pe4
done
ip -6 addr replace fd00:4::2/126 dev gre-pe4 nodad
for address in $(ip -6 -o addr show dev gre-pe4 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4::2/126 ] || ip -6 addr del "$address" dev gre-pe4
done

# gre-pe40: key 1040, 192.0.2.10 -> 198.18.0.41
if ip link show dev gre-pe40 >/dev/null 2>&1; then
  ip tunnel change gre-pe40 mode gre local 192.0.2.10 remote 198.18.0.41 key 1040 ttl 255
else
  ip tunnel add gre-pe40 mode gre local 192.0.2.10 remote 198.18.0.41 key 1040 ttl 255
fi
ip link set gre-pe40 mtu 1476 up
ip addr replace 169.254.0.162/30 dev gre-pe40
for address in $(ip -4 -o addr show dev gre-pe40 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.162/30 ] || ip addr del "$address" dev gre-pe40
done
ip -6 addr replace fd00:28::2/126 dev gre-pe40 nodad
for address in $(ip -6 -o addr show dev gre-pe40 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:28::2/126 ] || ip -6 addr del "$address" dev gre-pe40
done

# gre-pe41: key 1041, 192.0.2.10 -> 198.18.0.42
if ip link show dev gre-pe41 >/dev/null 2>&1; then
  ip tunnel change gre-pe41 mode gre local 192.0.2.10 remote 198.18.0.42 key 1041 ttl 255
else
  ip tunnel add gre-pe41 mode gre local 192.0.2.10 remote 198.18.0.42 key 1041 ttl 255
fi
ip link set gre-pe41 mtu 1476 up
ip addr replace 169.254.0.166/30 dev gre-pe41
for address in $(ip -4 -o addr show dev gre-pe41 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.166/30 ] || ip addr del "$address" dev gre-pe41
done
ip -6 addr replace fd00:29::2/126 dev gre-pe41 nodad
for address in $(ip -6 -o addr show dev gre-pe41 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:29::2/126 ] || ip -6 addr del "$address" dev gre-pe41
done

# gre-pe42: key 1042, 192.0.2.10 -> 198.18.0.43
if ip link show dev gre-pe42 >/dev/null 2>&1; then
  ip tunnel change gre-pe42 mode gre local 192.0.2.10 remote 198.18.0.43 key 1042 ttl 255
else
  ip tunnel add gre-pe42 mode gre local 192.0.2.10 remote 198.18.0.43 key 1042 ttl 255
fi
ip link set gre-pe42 mtu 1476 up
ip addr replace 169.254.0.170/30 dev gre-pe42
for address in $(ip -4 -o addr show dev gre-pe42 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.170/30 ] || ip addr del "$address" dev gre-pe42
done
ip -6 addr replace fd00:2a::2/126 dev gre-pe42 nodad
for address in $(ip -6 -o addr show dev gre-pe42 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2a::2/126 ] || ip -6 addr del "$address" dev gre-pe42
done

# gre-pe43: key 1043, 192.0.2.10 -> 198.18.0.44
if ip link show dev gre-pe43 >/dev/null 2>&1; then
  ip tunnel change gre-pe43 mode gre local 192.0.2.10 remote 198.18.0.44 key 1043 ttl 255
else
  ip tunnel add gre-pe43 mode gre local 192.0.2.10 remote 198.18.0.44 key 1043 ttl 255
fi
ip link set gre-pe43 mtu 1476 up
ip addr replace 169.254.0.174/30 dev gre-pe43
for address in $(ip -4 -o addr show dev gre-pe43 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.174/30 ] || ip addr del "$address" dev gre-pe43
done
ip -6 addr replace fd00:2b::2/126 dev gre-pe43 nodad
for address in $(ip -6 -o addr show dev gre-pe43 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2b::2/126 ] || ip -6 addr del "$address" dev gre-pe43
done

# gre-pe44: key 1044, 192.0.2.10 -> 198.18.0.45
if ip link show dev gre-pe44 >/dev/null 2>&1; then
  ip tunnel change gre-pe44 mode gre local 192.0.2.10 remote 198.18.0.45 key 1044 ttl 255
else
  ip tunnel add gre-pe44 mode gre local 192.0.2.10 remote 198.18.0.45 key 1044 ttl 255
fi
ip link set gre-pe44 mtu 1476 up
ip addr replace 169.254.0.178/30 dev gre-pe44
for address in $(ip -4 -o addr show dev gre-pe44 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.178/30 ] || ip addr del "$address" dev gre-pe44
done
ip -6 addr replace fd00:2c::2/126 dev gre-pe44 nodad
for address in $(ip -6 -o addr show dev gre-pe44 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2c::2/126 ] || ip -6 addr del "$address" dev gre-pe44
done

# gre-pe45: key 1045, 192.0.2.10 -> 198.18.0.46
if ip link show dev gre-pe45 >/dev/null 2>&1; then
  ip tunnel change gre-pe45 mode gre local 192.0.2.10 remote 198.18.0.46 key 1045 ttl 255
else
  ip tunnel add gre-pe45 mode gre local 192.0.2.10 remote 198.18.0.46 key 1045 ttl 255
fi
ip link set gre-pe45 mtu 1476 up
ip addr replace 169.254.0.182/30 dev gre-pe45
for address in $(ip -4 -o addr show dev gre-pe45 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.182/30 ] || ip addr del "$address" dev gre-pe45
done
ip -6 addr replace fd00:2d::2/126 dev gre-pe45 nodad
for address in $(ip -6 -o addr show dev gre-pe45 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2d::2/126 ] || ip -6 addr del "$address" dev gre-pe45
done

# gre-pe46: key 1046, 192.0.2.10 -> 198.18.0.47
if ip link show dev gre-pe46 >/dev/null 2>&1; then
  ip tunnel change gre-pe46 mode gre local 192.0.2.10 remote 198.18.0.47 key 1046 ttl 255
else
  ip tunnel add gre-pe46 mode gre local 192.0.2.10 remote 198.18.0.47 key 1046 ttl 255
fi
ip link set gre-pe46 mtu 1476 up
ip addr replace 169.254.0.186/30 dev gre-pe46
for address in $(ip -4 -o addr show dev gre-pe46 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.186/30 ] || ip addr del "$address" dev gre-pe46
done
ip -6 addr replace fd00:2e::2/126 dev gre-pe46 nodad
for address in $(ip -6 -o addr show dev gre-pe46 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2e::2/126 ] || ip -6 addr del "$address" dev gre-pe46
done

# gre-pe47: key 1047, 192.0.2.10 -> 198.18.0.48
if ip link show dev gre-pe47 >/dev/null 2>&1; then
  ip tunnel change gre-pe47 mode gre local 192.0.2.10 remote 198.18.0.48 key 1047 ttl 255
else
  ip tunnel add gre-pe47 mode gre local 192.0.2.10 remote 198.18.0.48 key 1047 ttl 255
fi
ip link set gre-pe47 mtu 1476 up
ip addr replace 169.254.0.190/30 dev gre-pe47
for address in $(ip -4 -o addr show dev gre-pe47 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.190/30 ] || ip addr del "$address" dev gre-pe47
done
ip -6 addr replace fd00:2f::2/126 dev gre-pe47 nodad
for address in $(ip -6 -o addr show dev gre-pe47 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:2f::2/126 ] || ip -6 addr del "$address" dev gre-pe47
done

# gre-pe48: key 1048, 192.0.2.10 -> 198.18.0.49
if ip link show dev gre-pe48 >/dev/null 2>&1; then
  ip tunnel change gre-pe48 mode gre local 192.0.2.10 remote 198.18.0.49 key 1048 ttl 255
else
  ip tunnel add gre-pe48 mode gre local 192.0.2.10 remote 198.18.0.49 key 1048 ttl 255
fi
ip link set gre-pe48 mtu 1476 up
ip addr replace 169.254.0.194/30 dev gre-pe48
for address in $(ip -4 -o addr show dev gre-pe48 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.194/30 ] || ip addr del "$address" dev gre-pe48
done
ip -6 addr replace fd00:30::2/126 dev gre-pe48 nodad
for address in $(ip -6 -o addr show dev gre-pe48 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:30::2/126 ] || ip -6 addr del "$address" dev gre-pe48
done

# gre-pe49: key 1049, 192.0.2.10 -> 198.18.0.50
if ip link show dev gre-pe49 >/dev/null 2>&1; then
  ip tunnel change gre-pe49 mode gre local 192.0.2.10 remote 198.18.0.50 key 1049 ttl 255
else
  ip tunnel add gre-pe49 mode gre local 192.0.2.10 remote 198.18.0.50 key 1049 ttl 255
fi
ip link set gre-pe49 mtu 1476 up
ip addr replace 169.254.0.198/30 dev gre-pe49
for address in $(ip -4 -o addr show dev gre-pe49 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.198/30 ] || ip addr del "$address" dev gre-pe49
done
ip -6 addr replace fd00:31::2/126 dev gre-pe49 nodad
for address in $(ip -6 -o addr show dev gre-pe49 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:31::2/126 ] || ip -6 addr del "$address" dev gre-pe49
done

# gre-pe5: key 1005, 192.0.2.10 -> 198.18.0.6
if ip link show dev gre-pe5 >/dev/null 2>&1; then
  ip tunnel change gre-pe5 mode gre local 192.0.2.10 remote 198.18.0.6 key 1005 ttl 255
else
  ip tunnel add gre-pe5 mode gre local 192.0.2.10 remote 198.18.0.6 key 1005 ttl 255
fi
ip link set gre-pe5 mtu 1476 up
ip addr replace 169.254.0.22/30 dev gre-pe5
for address in $(ip -4 -o addr show dev gre-pe5 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.22/30 ] || ip addr del "$address" dev gre-pe5
done
ip -6 addr replace fd00:5::2/126 dev gre-pe5 nodad
for address in $(ip -6 -o addr show dev gre-pe5 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5::2/126 ] || ip -6 addr del "$address" dev gre-pe5
done

# gre-pe50: key 1050, 192.0.2.10 -> 198.18.0.51
if ip link show dev gre-pe50 >/dev/null 2>&1; then
  ip tunnel change gre-pe50 mode gre local 192.0.2.10 remote 198.18.0.51 key 1050 ttl 255
else
  ip tunnel add gre-pe50 mode gre local 192.0.2.10 remote 198.18.0.51 key 1050 ttl 255
fi
ip link set gre-pe50 mtu 1476 up
ip addr replace 169.254.0.202/30 dev gre-pe50
for address in $(ip -4 -o addr show dev gre-pe50 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.202/30 ] || ip addr del "$address" dev gre-pe50
done
ip -6 addr replace fd00:32::2/126 dev gre-pe50 nodad
for address in $(ip -6 -o addr show dev gre-pe50 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:32::2/126 ] || ip -6 addr del "$address" dev gre-pe50
done

# gre-pe51: key 1051, 192.0.2.10 -> 198.18.0.52
if ip link show dev gre-pe51 >/dev/null 2>&1; then
  ip tunnel change gre-pe51 mode gre local 192.0.2.10 remote 198.18.0.52 key 1051 ttl 255
else
  ip tunnel add gre-pe51 mode gre local 192.0.2.10 remote 198.18.0.52 key 1051 ttl 255
fi
ip link set gre-pe51 mtu 1476 up
ip addr replace 169.254.0.206/30 dev gre-pe51
for address in $(ip -4 -o addr show dev gre-pe51 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.206/30 ] || ip addr del "$address" dev gre-pe51
done
ip -6 addr replace fd00:33::2/126 dev gre-pe51 nodad
for address in $(ip -6 -o addr show dev gre-pe51 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:33::2/126 ] || ip -6 addr del "$address" dev gre-pe51
done

# gre-pe52: key 1052, 192.0.2.10 -> 198.18.0.53
if ip link show dev gre-pe52 >/dev/null 2>&1; then
  ip tunnel change gre-pe52 mode gre local 192.0.2.10 remote 198.18.0.53 key 1052 ttl 255
else
  ip tunnel add gre-pe52 mode gre local 192.0.2.10 remote 198.18.0.53 key 1052 ttl 255
fi
ip link set gre-pe52 mtu 1476 up
ip addr replace 169.254.0.210/30 dev gre-pe52
for address in $(ip -4 -o addr show dev gre-pe52 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.210/30 ] || ip addr del "$address" dev gre-pe52
done
ip -6 addr replace fd00:34::2/126 dev gre-pe52 nodad
for address in $(ip -6 -o addr show dev gre-pe52 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:34::2/126 ] || ip -6 addr del "$address" dev gre-pe52
done

# gre-pe53: key 1053, 192.0.2.10 -> 198.18.0.54
if ip link show dev gre-pe53 >/dev/null 2>&1; then
  ip tunnel change gre-pe53 mode gre local 192.0.2.10 remote 198.18.0.54 key 1053 ttl 255
else
  ip tunnel add gre-pe53 mode gre local 192.0.2.10 remote 198.18.0.54 key 1053 ttl 255
fi
ip link set gre-pe53 mtu 1476 up
ip addr replace 169.254.0.214/30 dev gre-pe53
for address in $(ip -4 -o addr show dev gre-pe53 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.214/30 ] || ip addr del "$address" dev gre-pe53
done
ip -6 addr replace fd00:35::2/126 dev gre-pe53 nodad
for address in $(ip -6 -o addr show dev gre-pe53 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:35::2/126 ] || ip -6 addr del "$address" dev gre-pe53
done

# gre-pe54: key 1054, 192.0.2.10 -> 198.18.0.55
if ip link show dev gre-pe54 >/dev/null 2>&1; then
  ip tunnel change gre-pe54 mode gre local 192.0.2.10 remote 198.18.0.55 key 1054 ttl 255
else
  ip tunnel add gre-pe54 mode gre local 192.0.2.10 remote 198.18.0.55 key 1054 ttl 255
fi
ip link set gre-pe54 mtu 1476 up
ip addr replace 169.254.0.218/30 dev gre-pe54
for address in $(ip -4 -o addr show dev gre-pe54 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.218/30 ] || ip addr del "$address" dev gre-pe54
done
ip -6 addr replace fd00:36::2/126 dev gre-pe54 nodad
for address in $(ip -6 -o addr show dev gre-pe54 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:36::2/126 ] || ip -6 addr del "$address" dev gre-pe54
done

# gre-pe55: key 1055, 192.0.2.10 -> 198.18.0.56
if ip link show dev gre-pe55 >/dev/null 2>&1; then
  ip tunnel change gre-pe55 mode gre local 192.0.2.10 remote 198.18.0.56 key 1055 ttl 255
else
  ip tunnel add gre-pe55 mode gre local 192.0.2.10 remote 198.18.0.56 key 1055 ttl 255
fi
ip link set gre-pe55 mtu 1476 up
ip addr replace 169.254.0.222/30 dev gre-pe55
for address in $(ip -4 -o addr show dev gre-pe55 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.222/30 ] || ip addr del "$address" dev gre-pe55
done
ip -6 addr replace fd00:37::2/126 dev gre-pe55 nodad
for address in $(ip -6 -o addr show dev gre-pe55 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:37::2/126 ] || ip -6 addr del "$address" dev gre-pe55
done

# gre-pe56: key 1056, 192.0.2.10 -> 198.18.0.57
if ip link show dev gre-pe56 >/dev/null 2>&1; then
  ip tunnel change gre-pe56 mode gre local 192.0.2.10 remote 198.18.0.57 key 1056 ttl 255
else
  ip tunnel add gre-pe56 mode gre local 192.0.2.10 remote 198.18.0.57 key 1056 ttl 255
fi
ip link set gre-pe56 mtu 1476 up
ip addr replace 169.254.0.226/30 dev gre-pe56
for address in $(ip -4 -o addr show dev gre-pe56 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.226/30 ] || ip addr del "$address" dev gre-pe56
done
ip -6 addr replace fd00:38::2/126 dev gre-pe56 nodad
for address in $(ip -6 -o addr show dev gre-pe56 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:38::2/126 ] || ip -6 addr del "$address" dev gre-pe56
done

# gre-pe57: key 1057, 192.0.2.10 -> 198.18.0.58
if ip link show dev gre-pe57 >/dev/null 2>&1; then
  ip tunnel change gre-pe57 mode gre local 192.0.2.10 remote 198.18.0.58 key 1057 ttl 255
else
  ip tunnel add gre-pe57 mode gre local 192.0.2.10 remote 198.18.0.58 key 1057 ttl 255
fi
ip link set gre-pe57 mtu 1476 up
ip addr replace 169.254.0.230/30 dev gre-pe57
for address in $(ip -4 -o addr show dev gre-pe57 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.230/30 ] || ip addr del "$address" dev gre-pe57
done
ip -6 addr replace fd00:39::2/126 dev gre-pe57 nodad
for address in $(ip -6 -o addr show dev gre-pe57 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:39::2/126 ] || ip -6 addr del "$address" dev gre-pe57
done

# gre-pe58: key 1058, 192.0.2.10 -> 198.18.0.59
if ip link show dev gre-pe58 >/dev/null 2>&1; then
  ip tunnel change gre-pe58 mode gre local 192.0.2.10 remote 198.18.0.59 key 1058 ttl 255
else
  ip tunnel add gre-pe58 mode gre local 192.0.2.10 remote 198.18.0.59 key 1058 ttl 255
fi
ip link set gre-pe58 mtu 1476 up
ip addr replace 169.254.0.234/30 dev gre-pe58
for address in $(ip -4 -o addr show dev gre-pe58 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.234/30 ] || ip addr del "$address" dev gre-pe58
done
ip -6 addr replace fd00:3a::2/126 dev gre-pe58 nodad
for address in $(ip -6 -o addr show dev gre-pe58 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3a::2/126 ] || ip -6 addr del "$address" dev gre-pe58
done

# gre-pe59: key 1059, 192.0.2.10 -> 198.18.0.60
if ip link show dev gre-pe59 >/dev/null 2>&1; then
  ip tunnel change gre-pe59 mode gre local 192.0.2.10 remote 198.18.0.60 key 1059 ttl 255
else
  ip tunnel add gre-pe59 mode gre local 192.0.2.10 remote 198.18.0.60 key 1059 ttl 255
fi
ip link set gre-pe59 mtu 1476 up
ip addr replace 169.254.0.238/30 dev gre-pe59
for address in $(ip -4 -o addr show dev gre-pe59 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.238/30 ] || ip addr del "$address" dev gre-pe59
done
ip -6 addr replace fd00:3b::2/126 dev gre-pe59 nodad
for address in $(ip -6 -o addr show dev gre-pe59 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3b::2/126 ] || ip -6 addr del "$address" dev gre-pe59
done

# gre-pe6: key 1006, 192.0.2.10 -> 198.18.0.7
if ip link show dev gre-pe6 >/dev/null 2>&1; then
  ip tunnel change gre-pe6 mode gre local 192.0.2.10 remote 198.18.0.7 key 1006 ttl 255
else
  ip tunnel add gre-pe6 mode gre local 192.0.2.10 remote 198.18.0.7 key 1006 ttl 255
fi
ip link set gre-pe6 mtu 1476 up
ip addr replace 169.254.0.26/30 dev gre-pe6
for address in $(ip -4 -o addr show dev gre-pe6 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.26/30 ] || ip addr del "$address" dev gre-pe6
done
ip -6 addr replace fd00:6::2/126 dev gre-pe6 nodad
for address in $(ip -6 -o addr show dev gre-pe6 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:6::2/126 ] || ip -6 addr del "$address" dev gre-pe6
done

# gre-pe60: key 1060, 192.0.2.10 -> 198.18.0.61
if ip link show dev gre-pe60 >/dev/null 2>&1; then
  ip tunnel change gre-pe60 mode gre local 192.0.2.10 remote 198.18.0.61 key 1060 ttl 255
else
  ip tunnel add gre-pe60 mode gre local 192.0.2.10 remote 198.18.0.61 key 1060 ttl 255
fi
ip link set gre-pe60 mtu 1476 up
ip addr replace 169.254.0.242/30 dev gre-pe60
for address in $(ip -4 -o addr show dev gre-pe60 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.242/30 ] || ip addr del "$address" dev gre-pe60
done
ip -6 addr replace fd00:3c::2/126 dev gre-pe60 nodad
for address in $(ip -6 -o addr show dev gre-pe60 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3c::2/126 ] || ip -6 addr del "$address" dev gre-pe60
done

# gre-pe61: key 1061, 192.0.2.10 -> 198.18.0.62
if ip link show dev gre-pe61 >/dev/null 2>&1; then
  ip tunnel change gre-pe61 mode gre local 192.0.2.10 remote 198.18.0.62 key 1061 ttl 255
else
  ip tunnel add gre-pe61 mode gre local 192.0.2.10 remote 198.18.0.62 key 1061 ttl 255
fi
ip link set gre-pe61 mtu 1476 up
ip addr replace 169.254.0.246/30 dev gre-pe61
for address in $(ip -4 -o addr show dev gre-pe61 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.246/30 ] || ip addr del "$address" dev gre-pe61
done
ip -6 addr replace fd00:3d::2/126 dev gre-pe61 nodad
for address in $(ip -6 -o addr show dev gre-pe61 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3d::2/126 ] || ip -6 addr del "$address" dev gre-pe61
done

# gre-pe62: key 1062, 192.0.2.10 -> 198.18.0.63
if ip link show dev gre-pe62 >/dev/null 2>&1; then
  ip tunnel change gre-pe62 mode gre local 192.0.2.10 remote 198.18.0.63 key 1062 ttl 255
else
  ip tunnel add gre-pe62 mode gre local 192.0.2.10 remote 198.18.0.63 key 1062 ttl 255
fi
ip link set gre-pe62 mtu 1476 up
ip addr replace 169.254.0.250/30 dev gre-pe62
for address in $(ip -4 -o addr show dev gre-pe62 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.250/30 ] || ip addr del "$address" dev gre-pe62
done
ip -6 addr replace fd00:3e::2/126 dev gre-pe62 nodad
for address in $(ip -6 -o addr show dev gre-pe62 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3e::2/126 ] || ip -6 addr del "$address" dev gre-pe62
done

# gre-pe63: key 1063, 192.0.2.10 -> 198.18.0.64
if ip link show dev gre-pe63 >/dev/null 2>&1; then
  ip tunnel change gre-pe63 mode gre local 192.0.2.10 remote 198.18.0.64 key 1063 ttl 255
else
  ip tunnel add gre-pe63 mode gre local 192.0.2.10 remote 198.18.0.64 key 1063 ttl 255
fi
ip link set gre-pe63 mtu 1476 up
ip addr replace 169.254.0.254/30 dev gre-pe63
for address in $(ip -4 -o addr show dev gre-pe63 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.254/30 ] || ip addr del "$address" dev gre-pe63
done
ip -6 addr replace fd00:3f::2/126 dev gre-pe63 nodad
for address in $(ip -6 -o addr show dev gre-pe63 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:3f::2/126 ] || ip -6 addr del "$address" dev gre-pe63
done

# gre-pe64: key 1064, 192.0.2.10 -> 198.18.0.65
if ip link show dev gre-pe64 >/dev/null 2>&1; then
  ip tunnel change gre-pe64 mode gre local 192.0.2.10 remote 198.18.0.65 key 1064 ttl 255
else
  ip tunnel add gre-pe64 mode gre local 192.0.2.10 remote 198.18.0.65 key 1064 ttl 255
fi
ip link set gre-pe64 mtu 1476 up
ip addr replace 169.254.1.2/30 dev gre-pe64
for address in $(ip -4 -o addr show dev gre-pe64 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.2/30 ] || ip addr del "$address" dev gre-pe64
done
ip -6 addr replace fd00:40::2/126 dev gre-pe64 nodad
for address in $(ip -6 -o addr show dev gre-pe64 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:40::2/126 ] || ip -6 addr del "$address" dev gre-pe64
done

# gre-pe65: key 1065, 192.0.2.10 -> 198.18.0.66
if ip link show dev gre-pe65 >/dev/null 2>&1; then
  ip tunnel change gre-pe65 mode gre local 192.0.2.10 remote 198.18.0.66 key 1065 ttl 255
else
  ip tunnel add gre-pe65 mode gre local 192.0.2.10 remote 198.18.0.66 key 1065 ttl 255
fi
ip link set gre-pe65 mtu 1476 up
ip addr replace 169.254.1.6/30 dev gre-pe65
for address in $(ip -4 -o addr show dev gre-pe65 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.6/30 ] || ip addr del "$address" dev gre-pe65
done
ip -6 addr replace fd00:41::2/126 dev gre-pe65 nodad
for address in $(ip -6 -o addr show dev gre-pe65 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:41::2/126 ] || ip -6 addr del "$address" dev gre-pe65
done

# gre-pe66: key 1066, 192.0.2.10 -> 198.18.0.67
if ip link show dev gre-pe66 >/dev/null 2>&1; then
  ip tunnel change gre-pe66 mode gre local 192.0.2.10 remote 198.18.0.67 key 1066 ttl 255
else
  ip tunnel add gre-pe66 mode gre local 192.0.2.10 remote 198.18.0.67 key 1066 ttl 255
fi
ip link set gre-pe66 mtu 1476 up
ip addr replace 169.254.1.10/30 dev gre-pe66
for address in $(ip -4 -o addr show dev gre-pe66 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.10/30 ] || ip addr del "$address" dev gre-pe66
done
ip -6 addr replace fd00:42::2/126 dev gre-pe66 nodad
for address in $(ip -6 -o addr show dev gre-pe66 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:42::2/126 ] || ip -6 addr del "$address" dev gre-pe66
done

# gre-pe67: key 1067, 192.0.2.10 -> 198.18.0.68
if ip link show dev gre-pe67 >/dev/null 2>&1; then
  ip tunnel change gre-pe67 mode gre local 192.0.2.10 remote 198.18.0.68 key 1067 ttl 255
else
  ip tunnel add gre-pe67 mode gre local 192.0.2.10 remote 198.18.0.68 key 1067 ttl 255
fi
ip link set gre-pe67 mtu 1476 up
ip addr replace 169.254.1.14/30 dev gre-pe67
for address in $(ip -4 -o addr show dev gre-pe67 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.14/30 ] || ip addr del "$address" dev gre-pe67
done
ip -6 addr replace fd00:43::2/126 dev gre-pe67 nodad
for address in $(ip -6 -o addr show dev gre-pe67 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:43::2/126 ] || ip -6 addr del "$address" dev gre-pe67
done

# gre-pe68: key 1068, 192.0.2.10 -> 198.18.0.69
if ip link show dev gre-pe68 >/dev/null 2>&1; then
  ip tunnel change gre-pe68 mode gre local 192.0.2.10 remote 198.18.0.69 key 1068 ttl 255
else
  ip tunnel add gre-pe68 mode gre local 192.0.2.10 remote 198.18.0.69 key 1068 ttl 255
fi
ip link set gre-pe68 mtu 1476 up
ip addr replace 169.254.1.18/30 dev gre-pe68
for address in $(ip -4 -o addr show dev gre-pe68 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.18/30 ] || ip addr del "$address" dev gre-pe68
done
ip -6 addr replace fd00:44::2/126 dev gre-pe68 nodad
for address in $(ip -6 -o addr show dev gre-pe68 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:44::2/126 ] || ip -6 addr del "$address" dev gre-pe68
done

# gre-pe69: key 1069, 192.0.2.10 -> 198.18.0.70
if ip link show dev gre-pe69 >/dev/null 2>&1; then
  ip tunnel change gre-pe69 mode gre local 192.0.2.10 remote 198.18.0.70 key 1069 ttl 255
else
  ip tunnel add gre-pe69 mode gre local 192.0.2.10 remote 198.18.0.70 key 1069 ttl 255
fi
ip link set gre-pe69 mtu 1476 up
ip addr replace 169.254.1.22/30 dev gre-pe69
for address in $(ip -4 -o addr show dev gre-pe69 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.22/30 ] || ip addr del "$address" dev gre-pe69
done
ip -6 addr replace fd00:45::2/126 dev gre-pe69 nodad
for address in $(ip -6 -o addr show dev gre-pe69 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:45::2/126 ] || ip -6 addr del "$address" dev gre-pe69
done

# gre-pe7: key 1007, 192.0.2.10 -> 198.18.0.8
if ip link show dev gre-pe7 >/dev/null 2>&1; then
  ip tunnel change gre-pe7 mode gre local 192.0.2.10 remote 198.18.0.8 key 1007 ttl 255
else
  ip tunnel add gre-pe7 mode gre local 192.0.2.10 remote 198.18.0.8 key 1007 ttl 255
fi
ip link set gre-pe7 mtu 1476 up
ip addr replace 169.254.0.30/30 dev gre-pe7
for address in $(ip -4 -o addr show dev gre-pe7 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.30/30 ] || ip addr del "$address" dev gre-pe7
done
ip -6 addr replace fd00:7::2/126 dev gre-pe7 nodad
for address in $(ip -6 -o addr show dev gre-pe7 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:7::2/126 ] || ip -6 addr del "$address" dev gre-pe7
done

# gre-pe70: key 1070, 192.0.2.10 -> 198.18.0.71
if ip link show dev gre-pe70 >/dev/null 2>&1; then
  ip tunnel change gre-pe70 mode gre local 192.0.2.10 remote 198.18.0.71 key 1070 ttl 255
else
  ip tunnel add gre-pe70 mode gre local 192.0.2.10 remote 198.18.0.71 key 1070 ttl 255
fi
ip link set gre-pe70 mtu 1476 up
ip addr replace 169.254.1.26/30 dev gre-pe70
for address in $(ip -4 -o addr show dev gre-pe70 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.26/30 ] || ip addr del "$address" dev gre-pe70
done
ip -6 addr replace fd00:46::2/126 dev gre-pe70 nodad
for address in $(ip -6 -o addr show dev gre-pe70 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:46::2/126 ] || ip -6 addr del "$address" dev gre-pe70
done

# gre-pe71: key 1071, 192.0.2.10 -> 198.18.0.72
if ip link show dev gre-pe71 >/dev/null 2>&1; then
  ip tunnel change gre-pe71 mode gre local 192.0.2.10 remote 198.18.0.72 key 1071 ttl 255
else
  ip tunnel add gre-pe71 mode gre local 192.0.2.10 remote 198.18.0.72 key 1071 ttl 255
fi
ip link set gre-pe71 mtu 1476 up
ip addr replace 169.254.1.30/30 dev gre-pe71
for address in $(ip -4 -o addr show dev gre-pe71 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.30/30 ] || ip addr del "$address" dev gre-pe71
done
ip -6 addr replace fd00:47::2/126 dev gre-pe71 nodad
for address in $(ip -6 -o addr show dev gre-pe71 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:47::2/126 ] || ip -6 addr del "$address" dev gre-pe71
done

# gre-pe72: key 1072, 192.0.2.10 -> 198.18.0.73
if ip link show dev gre-pe72 >/dev/null 2>&1; then
  ip tunnel change gre-pe72 mode gre local 192.0.2.10 remote 198.18.0.73 key 1072 ttl 255
else
  ip tunnel add gre-pe72 mode gre local 192.0.2.10 remote 198.18.0.73 key 1072 ttl 255
fi
ip link set gre-pe72 mtu 1476 up
ip addr replace 169.254.1.34/30 dev gre-pe72
for address in $(ip -4 -o addr show dev gre-pe72 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.34/30 ] || ip addr del "$address" dev gre-pe72
done
ip -6 addr replace fd00:48::2/126 dev gre-pe72 nodad
for address in $(ip -6 -o addr show dev gre-pe72 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:48::2/126 ] || ip -6 addr del "$address" dev gre-pe72
done

# gre-pe73: key 1073, 192.0.2.10 -> 198.18.0.74
if ip link show dev gre-pe73 >/dev/null 2>&1; then
  ip tunnel change gre-pe73 mode gre local 192.0.2.10 remote 198.18.0.74 key 1073 ttl 255
else
  ip tunnel add gre-pe73 mode gre local 192.0.2.10 remote 198.18.0.74 key 1073 ttl 255
fi
ip link set gre-pe73 mtu 1476 up
ip addr replace 169.254.1.38/30 dev gre-pe73
for address in $(ip -4 -o addr show dev gre-pe73 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.38/30 ] || ip addr del "$address" dev gre-pe73
done
ip -6 addr replace fd00:49::2/126 dev gre-pe73 nodad
for address in $(ip -6 -o addr show dev gre-pe73 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:49::2/126 ] || ip -6 addr del "$address" dev gre-pe73
done

# gre-pe74: key 1074, 192.0.2.10 -> 198.18.0.75
if ip link show dev gre-pe74 >/dev/null 2>&1; then
  ip tunnel change gre-pe74 mode gre local 192.0.2.10 remote 198.18.0.75 key 1074 ttl 255
else
  ip tunnel add gre-pe74 mode gre local 192.0.2.10 remote 198.18.0.75 key 1074 ttl 255
fi
ip link set gre-pe74 mtu 1476 up
ip addr replace 169.254.1.42/30 dev gre-pe74
for address in $(ip -4 -o addr show dev gre-pe74 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.42/30 ] || ip addr del "$address" dev gre-pe74
done
ip -6 addr replace fd00:4a::2/126 dev gre-pe74 nodad
for address in $(ip -6 -o addr show dev gre-pe74 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4a::2/126 ] || ip -6 addr del "$address" dev gre-pe74
done

# gre-pe75: key 1075, 192.0.2.10 -> 198.18.0.76
if ip link show dev gre-pe75 >/dev/null 2>&1; then
  ip tunnel change gre-pe75 mode gre local 192.0.2.10 remote 198.18.0.76 key 1075 ttl 255
else
  ip tunnel add gre-pe75 mode gre local 192.0.2.10 remote 198.18.0.76 key 1075 ttl 255
fi
ip link set gre-pe75 mtu 1476 up
ip addr replace 169.254.1.46/30 dev gre-pe75
for address in $(ip -4 -o addr show dev gre-pe75 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.46/30 ] || ip addr del "$address" dev gre-pe75
done
ip -6 addr replace fd00:4b::2/126 dev gre-pe75 nodad
for address in $(ip -6 -o addr show dev gre-pe75 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4b::2/126 ] || ip -6 addr del "$address" dev gre-pe75
done

# gre-pe76: key 1076, 192.0.2.10 -> 198.18.0.77
if ip link show dev gre-pe76 >/dev/null 2>&1; then
  ip tunnel change gre-pe76 mode gre local 192.0.2.10 remote 198.18.0.77 key 1076 ttl 255
else
  ip tunnel add gre-pe76 mode gre local 192.0.2.10 remote 198.18.0.77 key 1076 ttl 255
fi
ip link set gre-pe76 mtu 1476 up
ip addr replace 169.254.1.50/30 dev gre-pe76
for address in $(ip -4 -o addr show dev gre-pe76 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.50/30 ] || ip addr del "$address" dev gre-pe76
done
ip -6 addr replace fd00:4c::2/126 dev gre-pe76 nodad
for address in $(ip -6 -o addr show dev gre-pe76 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4c::2/126 ] || ip -6 addr del "$address" dev gre-pe76
done

# gre-pe77: key 1077, 192.0.2.10 -> 198.18.0.78
if ip link show dev gre-pe77 >/dev/null 2>&1; then
  ip tunnel change gre-pe77 mode gre local 192.0.2.10 remote 198.18.0.78 key 1077 ttl 255
else
  ip tunnel add gre-pe77 mode gre local 192.0.2.10 remote 198.18.0.78 key 1077 ttl 255
fi
ip link set gre-pe77 mtu 1476 up
ip addr replace 169.254.1.54/30 dev gre-pe77
for address in $(ip -4 -o addr show dev gre-pe77 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.54/30 ] || ip addr del "$address" dev gre-pe77
done
ip -6 addr replace fd00:4d::2/126 dev gre-pe77 nodad
for address in $(ip -6 -o addr show dev gre-pe77 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4d::2/126 ] || ip -6 addr del "$address" dev gre-pe77
done

# gre-pe78: key 1078, 192.0.2.10 -> 198.18.0.79
if ip link show dev gre-pe78 >/dev/null 2>&1; then
  ip tunnel change gre-pe78 mode gre local 192.0.2.10 remote 198.18.0.79 key 1078 ttl 255
else
  ip tunnel add gre-pe78 mode gre local 192.0.2.10 remote 198.18.0.79 key 1078 ttl 255
fi
ip link set gre-pe78 mtu 1476 up
ip addr replace 169.254.1.58/30 dev gre-pe78
for address in $(ip -4 -o addr show dev gre-pe78 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.58/30 ] || ip addr del "$address" dev gre-pe78
done
ip -6 addr replace fd00:4e::2/126 dev gre-pe78 nodad
for address in $(ip -6 -o addr show dev gre-pe78 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4e::2/126 ] || ip -6 addr del "$address" dev gre-pe78
done

# gre-pe79: key 1079, 192.0.2.10 -> 198.18.0.80
if ip link show dev gre-pe79 >/dev/null 2>&1; then
  ip tunnel change gre-pe79 mode gre local 192.0.2.10 remote 198.18.0.80 key 1079 ttl 255
else
  ip tunnel add gre-pe79 mode gre local 192.0.2.10 remote 198.18.0.80 key 1079 ttl 255
fi
ip link set gre-pe79 mtu 1476 up
ip addr replace 169.254.1.62/30 dev gre-pe79
for address in $(ip -4 -o addr show dev gre-pe79 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.62/30 ] || ip addr del "$address" dev gre-pe79
done
ip -6 addr replace fd00:4f::2/126 dev gre-pe79 nodad
for address in $(ip -6 -o addr show dev gre-pe79 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:4f::2/126 ] || ip -6 addr del "$address" dev gre-pe79
done

# gre-pe8: key 1008, 192.0.2.10 -> 198.18.0.9
if ip link show dev gre-pe8 >/dev/null 2>&1; then
  ip tunnel change gre-pe8 mode gre local 192.0.2.10 remote 198.18.0.9 key 1008 ttl 255
else
  ip tunnel add gre-pe8 mode gre local 192.0.2.10 remote 198.18.0.9 key 1008 ttl 255
fi
ip link set gre-pe8 mtu 1476 up
ip addr replace 169.254.0.34/30 dev gre-pe8
for address in $(ip -4 -o addr show dev gre-pe8 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.34/30 ] || ip addr del "$address" dev gre-pe8
done
ip -6 addr replace fd00:8::2/126 dev gre-pe8 nodad
for address in $(ip -6 -o addr show dev gre-pe8 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:8::2/126 ] || ip -6 addr del "$address" dev gre-pe8
done

# gre-pe80: key 1080, 192.0.2.10 -> 198.18.0.81
if ip link show dev gre-pe80 >/dev/null 2>&1; then
  ip tunnel change gre-pe80 mode gre local 192.0.2.10 remote 198.18.0.81 key 1080 ttl 255
else
  ip tunnel add gre-pe80 mode gre local 192.0.2.10 remote 198.18.0.81 key 1080 ttl 255
fi
ip link set gre-pe80 mtu 1476 up
ip addr replace 169.254.1.66/30 dev gre-pe80
for address in $(ip -4 -o addr show dev gre-pe80 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.66/30 ] || ip addr del "$address" dev gre-pe80
done
ip -6 addr replace fd00:50::2/126 dev gre-pe80 nodad
for address in $(ip -6 -o addr show dev gre-pe80 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:50::2/126 ] || ip -6 addr del "$address" dev gre-pe80
done

# gre-pe81: key 1081, 192.0.2.10 -> 198.18.0.82
if ip link show dev gre-pe81 >/dev/null 2>&1; then
  ip tunnel change gre-pe81 mode gre local 192.0.2.10 remote 198.18.0.82 key 1081 ttl 255
else
  ip tunnel add gre-pe81 mode gre local 192.0.2.10 remote 198.18.0.82 key 1081 ttl 255
fi
ip link set gre-pe81 mtu 1476 up
ip addr replace 169.254.1.70/30 dev gre-pe81
for address in $(ip -4 -o addr show dev gre-pe81 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.70/30 ] || ip addr del "$address" dev gre-pe81
done
ip -6 addr replace fd00:51::2/126 dev gre-pe81 nodad
for address in $(ip -6 -o addr show dev gre-pe81 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:51::2/126 ] || ip -6 addr del "$address" dev gre-pe81
done

# gre-pe82: key 1082, 192.0.2.10 -> 198.18.0.83
if ip link show dev gre-pe82 >/dev/null 2>&1; then
  ip tunnel change gre-pe82 mode gre local 192.0.2.10 remote 198.18.0.83 key 1082 ttl 255
else
  ip tunnel add gre-pe82 mode gre local 192.0.2.10 remote 198.18.0.83 key 1082 ttl 255
fi
ip link set gre-pe82 mtu 1476 up
ip addr replace 169.254.1.74/30 dev gre-pe82
for address in $(ip -4 -o addr show dev gre-pe82 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.74/30 ] || ip addr del "$address" dev gre-pe82
done
ip -6 addr replace fd00:52::2/126 dev gre-pe82 nodad
for address in $(ip -6 -o addr show dev gre-pe82 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:52::2/126 ] || ip -6 addr del "$address" dev gre-pe82
done

# gre-pe83: key 1083, 192.0.2.10 -> 198.18.0.84
if ip link show dev gre-pe83 >/dev/null 2>&1; then
  ip tunnel change gre-pe83 mode gre local 192.0.2.10 remote 198.18.0.84 key 1083 ttl 255
else
  ip tunnel add gre-pe83 mode gre local 192.0.2.10 remote 198.18.0.84 key 1083 ttl 255
fi
ip link set gre-pe83 mtu 1476 up
ip addr replace 169.254.1.78/30 dev gre-pe83
for address in $(ip -4 -o addr show dev gre-pe83 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.78/30 ] || ip addr del "$address" dev gre-pe83
done
ip -6 addr replace fd00:53::2/126 dev gre-pe83 nodad
for address in $(ip -6 -o addr show dev gre-pe83 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:53::2/126 ] || ip -6 addr del "$address" dev gre-pe83
done

# gre-pe84: key 1084, 192.0.2.10 -> 198.18.0.85
if ip link show dev gre-pe84 >/dev/null 2>&1; then
  ip tunnel change gre-pe84 mode gre local 192.0.2.10 remote 198.18.0.85 key 1084 ttl 255
else
  ip tunnel add gre-pe84 mode gre local 192.0.2.10 remote 198.18.0.85 key 1084 ttl 255
fi
ip link set gre-pe84 mtu 1476 up
ip addr replace 169.254.1.82/30 dev gre-pe84
for address in $(ip -4 -o addr show dev gre-pe84 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.82/30 ] || ip addr del "$address" dev gre-pe84
done
ip -6 addr replace fd00:54::2/126 dev gre-pe84 nodad
for address in $(ip -6 -o addr show dev gre-pe84 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:54::2/126 ] || ip -6 addr del "$address" dev gre-pe84
done

# gre-pe85: key 1085, 192.0.2.10 -> 198.18.0.86
if ip link show dev gre-pe85 >/dev/null 2>&1; then
  ip tunnel change gre-pe85 mode gre local 192.0.2.10 remote 198.18.0.86 key 1085 ttl 255
else
  ip tunnel add gre-pe85 mode gre local 192.0.2.10 remote 198.18.0.86 key 1085 ttl 255
fi
ip link set gre-pe85 mtu 1476 up
ip addr replace 169.254.1.86/30 dev gre-pe85
for address in $(ip -4 -o addr show dev gre-pe85 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.86/30 ] || ip addr del "$address" dev gre-pe85
done
ip -6 addr replace fd00:55::2/126 dev gre-pe85 nodad
for address in $(ip -6 -o addr show dev gre-pe85 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:55::2/126 ] || ip -6 addr del "$address" dev gre-pe85
done

# gre-pe86: key 1086, 192.0.2.10 -> 198.18.0.87
if ip link show dev gre-pe86 >/dev/null 2>&1; then
  ip tunnel change gre-pe86 mode gre local 192.0.2.10 remote 198.18.0.87 key 1086 ttl 255
else
  ip tunnel add gre-pe86 mode gre local 192.0.2.10 remote 198.18.0.87 key 1086 ttl 255
fi
ip link set gre-pe86 mtu 1476 up
ip addr replace 169.254.1.90/30 dev gre-pe86
for address in $(ip -4 -o addr show dev gre-pe86 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.90/30 ] || ip addr del "$address" dev gre-pe86
done
ip -6 addr replace fd00:56::2/126 dev gre-pe86 nodad
for address in $(ip -6 -o addr show dev gre-pe86 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:56::2/126 ] || ip -6 addr del "$address" dev gre-pe86
done

# gre-pe87: key 1087, 192.0.2.10 -> 198.18.0.88
if ip link show dev gre-pe87 >/dev/null 2>&1; then
  ip tunnel change gre-pe87 mode gre local 192.0.2.10 remote 198.18.0.88 key 1087 ttl 255
else
  ip tunnel add gre-pe87 mode gre local 192.0.2.10 remote 198.18.0.88 key 1087 ttl 255
fi
ip link set gre-pe87 mtu 1476 up
ip addr replace 169.254.1.94/30 dev gre-pe87
for address in $(ip -4 -o addr show dev gre-pe87 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.94/30 ] || ip addr del "$address" dev gre-pe87
done
ip -6 addr replace fd00:57::2/126 dev gre-pe87 nodad
for address in $(ip -6 -o addr show dev gre-pe87 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:57::2/126 ] || ip -6 addr del "$address" dev gre-pe87
done

# gre-pe88: key 1088, 192.0.2.10 -> 198.18.0.89
if ip link show dev gre-pe88 >/dev/null 2>&1; then
  ip tunnel change gre-pe88 mode gre local 192.0.2.10 remote 198.18.0.89 key 1088 ttl 255
else
  ip tunnel add gre-pe88 mode gre local 192.0.2.10 remote 198.18.0.89 key 1088 ttl 255
fi
ip link set gre-pe88 mtu 1476 up
ip addr replace 169.254.1.98/30 dev gre-pe88
for address in $(ip -4 -o addr show dev gre-pe88 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.98/30 ] || ip addr del "$address" dev gre-pe88
done
ip -6 addr replace fd00:58::2/126 dev gre-pe88 nodad
for address in $(ip -6 -o addr show dev gre-pe88 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:58::2/126 ] || ip -6 addr del "$address" dev gre-pe88
done

# gre-pe89: key 1089, 192.0.2.10 -> 198.18.0.90
if ip link show dev gre-pe89 >/dev/null 2>&1; then
  ip tunnel change gre-pe89 mode gre local 192.0.2.10 remote 198.18.0.90 key 1089 ttl 255
else
  ip tunnel add gre-pe89 mode gre local 192.0.2.10 remote 198.18.0.90 key 1089 ttl 255
fi
ip link set gre-pe89 mtu 1476 up
ip addr replace 169.254.1.102/30 dev gre-pe89
for address in $(ip -4 -o addr show dev gre-pe89 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.102/30 ] || ip addr del "$address" dev gre-pe89
done
ip -6 addr replace fd00:59::2/126 dev gre-pe89 nodad
for address in $(ip -6 -o addr show dev gre-pe89 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:59::2/126 ] || ip -6 addr del "$address" dev gre-pe89
done

# gre-pe9: key 1009, 192.0.2.10 -> 198.18.0.10
if ip link show dev gre-pe9 >/dev/null 2>&1; then
  ip tunnel change gre-pe9 mode gre local 192.0.2.10 remote 198.18.0.10 key 1009 ttl 255
else
  ip tunnel add gre-pe9 mode gre local 192.0.2.10 remote 198.18.0.10 key 1009 ttl 255
fi
ip link set gre-pe9 mtu 1476 up
ip addr replace 169.254.0.38/30 dev gre-pe9
for address in $(ip -4 -o addr show dev gre-pe9 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.0.38/30 ] || ip addr del "$address" dev gre-pe9
done
ip -6 addr replace fd00:9::2/126 dev gre-pe9 nodad
for address in $(ip -6 -o addr show dev gre-pe9 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:9::2/126 ] || ip -6 addr del "$address" dev gre-pe9
done

# gre-pe90: key 1090, 192.0.2.10 -> 198.18.0.91
if ip link show dev gre-pe90 >/dev/null 2>&1; then
  ip tunnel change gre-pe90 mode gre local 192.0.2.10 remote 198.18.0.91 key 1090 ttl 255
else
  ip tunnel add gre-pe90 mode gre local 192.0.2.10 remote 198.18.0.91 key 1090 ttl 255
fi
ip link set gre-pe90 mtu 1476 up
ip addr replace 169.254.1.106/30 dev gre-pe90
for address in $(ip -4 -o addr show dev gre-pe90 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.106/30 ] || ip addr del "$address" dev gre-pe90
done
ip -6 addr replace fd00:5a::2/126 dev gre-pe90 nodad
for address in $(ip -6 -o addr show dev gre-pe90 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5a::2/126 ] || ip -6 addr del "$address" dev gre-pe90
done

# gre-pe91: key 1091, 192.0.2.10 -> 198.18.0.92
if ip link show dev gre-pe91 >/dev/null 2>&1; then
  ip tunnel change gre-pe91 mode gre local 192.0.2.10 remote 198.18.0.92 key 1091 ttl 255
else
  ip tunnel add gre-pe91 mode gre local 192.0.2.10 remote 198.18.0.92 key 1091 ttl 255
fi
ip link set gre-pe91 mtu 1476 up
ip addr replace 169.254.1.110/30 dev gre-pe91
for address in $(ip -4 -o addr show dev gre-pe91 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.110/30 ] || ip addr del "$address" dev gre-pe91
done
ip -6 addr replace fd00:5b::2/126 dev gre-pe91 nodad
for address in $(ip -6 -o addr show dev gre-pe91 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5b::2/126 ] || ip -6 addr del "$address" dev gre-pe91
done

# gre-pe92: key 1092, 192.0.2.10 -> 198.18.0.93
if ip link show dev gre-pe92 >/dev/null 2>&1; then
  ip tunnel change gre-pe92 mode gre local 192.0.2.10 remote 198.18.0.93 key 1092 ttl 255
else
  ip tunnel add gre-pe92 mode gre local 192.0.2.10 remote 198.18.0.93 key 1092 ttl 255
fi
ip link set gre-pe92 mtu 1476 up
ip addr replace 169.254.1.114/30 dev gre-pe92
for address in $(ip -4 -o addr show dev gre-pe92 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.114/30 ] || ip addr del "$address" dev gre-pe92
done
ip -6 addr replace fd00:5c::2/126 dev gre-pe92 nodad
for address in $(ip -6 -o addr show dev gre-pe92 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5c::2/126 ] || ip -6 addr del "$address" dev gre-pe92
done

# gre-pe93: key 1093, 192.0.2.10 -> 198.18.0.94
if ip link show dev gre-pe93 >/dev/null 2>&1; then
  ip tunnel change gre-pe93 mode gre local 192.0.2.10 remote 198.18.0.94 key 1093 ttl 255
else
  ip tunnel add gre-pe93 mode gre local 192.0.2.10 remote 198.18.0.94 key 1093 ttl 255
fi
ip link set gre-pe93 mtu 1476 up
ip addr replace 169.254.1.118/30 dev gre-pe93
for address in $(ip -4 -o addr show dev gre-pe93 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.118/30 ] || ip addr del "$address" dev gre-pe93
done
ip -6 addr replace fd00:5d::2/126 dev gre-pe93 nodad
for address in $(ip -6 -o addr show dev gre-pe93 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5d::2/126 ] || ip -6 addr del "$address" dev gre-pe93
done

# gre-pe94: key 1094, 192.0.2.10 -> 198.18.0.95
if ip link show dev gre-pe94 >/dev/null 2>&1; then
  ip tunnel change gre-pe94 mode gre local 192.0.2.10 remote 198.18.0.95 key 1094 ttl 255
else
  ip tunnel add gre-pe94 mode gre local 192.0.2.10 remote 198.18.0.95 key 1094 ttl 255
fi
ip link set gre-pe94 mtu 1476 up
ip addr replace 169.254.1.122/30 dev gre-pe94
for address in $(ip -4 -o addr show dev gre-pe94 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.122/30 ] || ip addr del "$address" dev gre-pe94
done
ip -6 addr replace fd00:5e::2/126 dev gre-pe94 nodad
for address in $(ip -6 -o addr show dev gre-pe94 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5e::2/126 ] || ip -6 addr del "$address" dev gre-pe94
done

# gre-pe95: key 1095, 192.0.2.10 -> 198.18.0.96
if ip link show dev gre-pe95 >/dev/null 2>&1; then
  ip tunnel change gre-pe95 mode gre local 192.0.2.10 remote 198.18.0.96 key 1095 ttl 255
else
  ip tunnel add gre-pe95 mode gre local 192.0.2.10 remote 198.18.0.96 key 1095 ttl 255
fi
ip link set gre-pe95 mtu 1476 up
ip addr replace 169.254.1.126/30 dev gre-pe95
for address in $(ip -4 -o addr show dev gre-pe95 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.126/30 ] || ip addr del "$address" dev gre-pe95
done
ip -6 addr replace fd00:5f::2/126 dev gre-pe95 nodad
for address in $(ip -6 -o addr show dev gre-pe95 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:5f::2/126 ] || ip -6 addr del "$address" dev gre-pe95
done

# gre-pe96: key 1096, 192.0.2.10 -> 198.18.0.97
if ip link show dev gre-pe96 >/dev/null 2>&1; then
  ip tunnel change gre-pe96 mode gre local 192.0.2.10 remote 198.18.0.97 key 1096 ttl 255
else
  ip tunnel add gre-pe96 mode gre local 192.0.2.10 remote 198.18.0.97 key 1096 ttl 255
fi
ip link set gre-pe96 mtu 1476 up
ip addr replace 169.254.1.130/30 dev gre-pe96
for address in $(ip -4 -o addr show dev gre-pe96 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.130/30 ] || ip addr del "$address" dev gre-pe96
done
ip -6 addr replace fd00:60::2/126 dev gre-pe96 nodad
for address in $(ip -6 -o addr show dev gre-pe96 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:60::2/126 ] || ip -6 addr del "$address" dev gre-pe96
done

# gre-pe97: key 1097, 192.0.2.10 -> 198.18.0.98
if ip link show dev gre-pe97 >/dev/null 2>&1; then
  ip tunnel change gre-pe97 mode gre local 192.0.2.10 remote 198.18.0.98 key 1097 ttl 255
else
  ip tunnel add gre-pe97 mode gre local 192.0.2.10 remote 198.18.0.98 key 1097 ttl 255
fi
ip link set gre-pe97 mtu 1476 up
ip addr replace 169.254.1.134/30 dev gre-pe97
for address in $(ip -4 -o addr show dev gre-pe97 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.134/30 ] || ip addr del "$address" dev gre-pe97
done
ip -6 addr replace fd00:61::2/126 dev gre-pe97 nodad
for address in $(ip -6 -o addr show dev gre-pe97 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:61::2/126 ] || ip -6 addr del "$address" dev gre-pe97
done

# gre-pe98: key 1098, 192.0.2.10 -> 198.18.0.99
if ip link show dev gre-pe98 >/dev/null 2>&1; then
  ip tunnel change gre-pe98 mode gre local 192.0.2.10 remote 198.18.0.99 key 1098 ttl 255
else
  ip tunnel add gre-pe98 mode gre local 192.0.2.10 remote 198.18.0.99 key 1098 ttl 255
fi
ip link set gre-pe98 mtu 1476 up
ip addr replace 169.254.1.138/30 dev gre-pe98
for address in $(ip -4 -o addr show dev gre-pe98 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.138/30 ] || ip addr del "$address" dev gre-pe98
done
ip -6 addr replace fd00:62::2/126 dev gre-pe98 nodad
for address in $(ip -6 -o addr show dev gre-pe98 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:62::2/126 ] || ip -6 addr del "$address" dev gre-pe98
done

# gre-pe99: key 1099, 192.0.2.10 -> 198.18.0.100
if ip link show dev gre-pe99 >/dev/null 2>&1; then
  ip tunnel change gre-pe99 mode gre local 192.0.2.10 remote 198.18.0.100 key 1099 ttl 255
else
  ip tunnel add gre-pe99 mode gre local 192.0.2.10 remote 198.18.0.100 key 1099 ttl 255
fi
ip link set gre-pe99 mtu 1476 up
ip addr replace 169.254.1.142/30 dev gre-pe99
for address in $(ip -4 -o addr show dev gre-pe99 scope global | awk '{ print $4 }'); do
  [ "$address" = 169.254.1.142/30 ] || ip addr del "$address" dev gre-pe99
done
ip -6 addr replace fd00:63::2/126 dev gre-pe99 nodad
for address in $(ip -6 -o addr show dev gre-pe99 scope global | awk '{ print $4 }'); do
  [ "$address" = fd00:63::2/126 ] || ip -6 addr del "$address" dev gre-pe99
done
