/**
 * The commands route-broker runs on a host besides vtysh and frr-reload. They run under the same
 * wrapper as the host's vtysh command, so they see the network namespace FRR runs in (and get the
 * same privileges, e.g. `sudo -n`).
 */

/**
 * The words of the host's vtysh command before `vtysh` itself (`ip netns exec fabric` of
 * `ip netns exec fabric vtysh -N fabric`; '' for `vtysh -N x`).
 */
export function commandWrapper(vtyshCommand: string): string {
  const words = vtyshCommand.trim().split(/\s+/);
  const at = words.findIndex((word) => word.split('/').pop() === 'vtysh');
  return at > 0 ? words.slice(0, at).join(' ') : '';
}

function wrapped(vtyshCommand: string, command: string): string {
  const wrapper = commandWrapper(vtyshCommand);
  return wrapper === '' ? command : `${wrapper} ${command}`;
}

/** Every interface with flags, MTU, kind, GRE parameters and addresses, as JSON (drift.ts reads it). */
export function interfacesCommand(vtyshCommand: string): string {
  return wrapped(vtyshCommand, 'ip -d -j addr show');
}

/** Runs an uploaded GRE setup script (a POSIX sh file; its path is shell-quoted by the caller). */
export function tunnelScriptCommand(vtyshCommand: string, quotedScriptPath: string): string {
  return wrapped(vtyshCommand, `sh ${quotedScriptPath}`);
}
