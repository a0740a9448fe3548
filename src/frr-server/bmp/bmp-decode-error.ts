/**
 * Why a BMP stream could not be decoded, and where. `offset` is absolute: bytes since the start of
 * the connection's stream (or of the buffer given to a one-shot decode), so it can be matched
 * against a packet capture or a recorded fixture.
 */
export class BmpDecodeError extends Error {
  override readonly name = 'BmpDecodeError';

  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(`${problem} (at byte ${offset})`);
  }
}
