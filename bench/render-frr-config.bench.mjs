/**
 * renderHostConfig for a host with 2,000 sessions (1,000 tunnels, IPv4 + IPv6 each): median time
 * and heap of a few runs, next to a baseline that writes the same frr.conf lines with plain string
 * concatenation (no validation, no templates), to see what Nunjucks and validation cost.
 *
 *   npm run build && node --expose-gc bench/render-frr-config.bench.mjs [runs]
 *
 * Imports the BUILT code (dist/), since Node 20 cannot run TypeScript.
 */
import { performance } from 'node:perf_hooks';
import { renderHostConfig } from '../dist/frr-server/config/render-frr-config.js';

const RUNS = Number(process.argv[2] ?? 7);
const TUNNELS = 1000;
const TARGET_MS = 200;

function state() {
  const tunnels = [];
  for (let i = 1; i <= TUNNELS; i++) {
    const base = i * 4;
    const net = `169.254.${Math.floor(base / 256)}.`;
    const hex = i.toString(16);
    const common = { localAsn: 64512, peerAsn: 65000 + (i % 100), keepaliveSeconds: 30, holdTimeSeconds: 90, bfd: i % 2 === 0 };
    tunnels.push({
      interfaceName: `gre-pe${i}`,
      tunnelKey: 1000 + i,
      localUnderlay: '192.0.2.10',
      remoteUnderlay: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      mtu: 1476,
      ttl: 255,
      ipv4: { localAddress: net + ((base % 256) + 2), remoteAddress: net + ((base % 256) + 1), prefixLength: 30 },
      ipv6: { localAddress: `fd00:${hex}::2`, remoteAddress: `fd00:${hex}::1`, prefixLength: 126 },
      sessions: [
        {
          ...common,
          peerAddress: net + ((base % 256) + 1),
          description: `vpc-${i} v4`,
          md5Password: i % 3 === 0 ? `key-${i}` : null,
          gracefulRestart: true,
          ipv4Unicast: {
            importPrefixes: [{ prefix: `10.${i % 256}.0.0/16`, le: 24 }],
            exportPrefixes: [{ prefix: `100.${64 + (i % 64)}.${i % 256}.0/24` }],
            maxPrefix: 1000,
          },
          ipv6Unicast: null,
        },
        {
          ...common,
          peerAddress: `fd00:${hex}::1`,
          description: `vpc-${i} v6`,
          md5Password: null,
          gracefulRestart: i % 5 !== 0,
          ipv4Unicast: null,
          ipv6Unicast: {
            importPrefixes: [{ prefix: `2001:db8:${hex}::/48`, le: 64 }],
            exportPrefixes: [{ prefix: `2001:db8:ff${(i % 256).toString(16).padStart(2, '0')}::/48` }],
            maxPrefix: 500,
          },
        },
      ],
    });
  }
  return {
    host: { name: 'host-bench', routerId: '10.0.0.99', asn: 64512 },
    gracefulRestart: { restartTimeSeconds: 240 },
    bmp: { name: 'collector', address: '10.255.1.1', port: 11019, minRetryMs: 1000, maxRetryMs: 30000 },
    tunnels,
  };
}

/** The baseline: the same kind of lines, concatenated, unsorted and unchecked. */
function naive(s) {
  let out = `frr defaults traditional\nhostname ${s.host.name}\n!\nrouter bgp ${s.host.asn}\n bgp router-id ${s.host.routerId}\n`;
  const af = { v4: '', v6: '' };
  let policy = '';
  for (const t of s.tunnels) {
    for (const x of t.sessions) {
      const n = ` neighbor ${x.peerAddress}`;
      out += `${n} remote-as ${x.peerAsn}\n${n} description ${x.description}\n`;
      if (x.bfd) out += `${n} bfd\n`;
      if (x.md5Password) out += `${n} password ${x.md5Password}\n`;
      out += `${n} update-source ${t.interfaceName}\n${n} timers ${x.keepaliveSeconds} ${x.holdTimeSeconds}\n${n} graceful-restart\n`;
      const [key, p, kw] = x.ipv4Unicast ? ['v4', x.ipv4Unicast, 'ip'] : ['v6', x.ipv6Unicast, 'ipv6'];
      const name = `RB-${t.interfaceName}-${x.peerAddress.replace(/[.:]/g, '_')}-${key.toUpperCase()}`;
      af[key] += ` ${n} activate\n ${n} maximum-prefix ${p.maxPrefix}\n ${n} route-map ${name}-IN in\n ${n} route-map ${name}-OUT out\n`;
      for (const [dir, list] of [
        ['IN', p.importPrefixes],
        ['OUT', p.exportPrefixes],
      ]) {
        list.forEach((e, i) => {
          policy += `${kw} prefix-list ${name}-${dir} seq ${(i + 1) * 5} permit ${e.prefix}${e.le ? ` le ${e.le}` : ''}\n`;
        });
        policy += `route-map ${name}-${dir} permit 10\n match ${kw} address prefix-list ${name}-${dir}\nexit\n!\n`;
      }
    }
  }
  return `${out} !\n address-family ipv4 unicast\n${af.v4} exit-address-family\n !\n address-family ipv6 unicast\n${af.v6} exit-address-family\nexit\n!\n${policy}`;
}

function measure(label, fn) {
  const times = [];
  const heaps = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    const result = fn();
    times.push(performance.now() - start);
    heaps.push((process.memoryUsage().heapUsed - before) / 1024 / 1024);
    bytes = typeof result === 'string' ? result.length : result.frrConf.length + result.greSetup.length;
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const row = {
    label,
    medianMs: median(times).toFixed(1),
    minMs: Math.min(...times).toFixed(1),
    heapDeltaMb: median(heaps).toFixed(1),
    outputKb: (bytes / 1024).toFixed(0),
  };
  console.log(JSON.stringify(row));
  return median(times);
}

const input = state();
const sessions = input.tunnels.reduce((sum, t) => sum + t.sessions.length, 0);
console.log(
  `${sessions} sessions on ${input.tunnels.length} tunnels, ${RUNS} runs each${globalThis.gc ? '' : ' (run with --expose-gc for steadier heap figures)'}`,
);
const first = performance.now();
renderHostConfig(input); // cold: reads and compiles the templates
console.log(JSON.stringify({ label: 'renderHostConfig, first call (cold)', ms: (performance.now() - first).toFixed(1) }));
const rendered = measure('renderHostConfig (validate + Nunjucks, frr.conf + GRE script)', () => renderHostConfig(input));
measure('baseline: string concatenation of frr.conf lines', () => naive(input));
console.log(
  `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; target < ${TARGET_MS} ms: ${rendered < TARGET_MS ? 'met' : 'NOT met'}`,
);
