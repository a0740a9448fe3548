/** TCP ports for the integration tests: a free one to listen on, and whether something answers on one. */
import { createServer, connect } from 'node:net';

/** A port nothing listens on now (the OS picks it; free again once this returns). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Whether a TCP connection to `host:port` is accepted. */
export function portAnswers(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
