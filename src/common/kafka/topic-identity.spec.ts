import { decodeMetadataResponse, encodeMetadataRequest, UNKNOWN_TOPIC_OR_PARTITION } from './topic-identity.js';

const uvarint = (value: number) => Buffer.from([value]); // the values here are below 128
const compactString = (text: string | null) =>
  text === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(text) + 1), Buffer.from(text)]);
const int16 = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const TAGS = uvarint(0);

/** A Metadata v12 response as Kafka writes it (after the correlation id), built field by field from the protocol's schema. */
function response(topics: { errorCode: number; name: string; id: Buffer; partitions: number }[]): Buffer {
  return Buffer.concat([
    TAGS, // response header v1
    int32(0), // throttle
    uvarint(2), // one broker
    int32(1),
    compactString('127.0.0.1'),
    int32(9092),
    compactString(null),
    TAGS,
    compactString('cluster-a'),
    int32(1),
    uvarint(topics.length + 1),
    ...topics.flatMap((topic) => [
      int16(topic.errorCode),
      compactString(topic.name),
      topic.id,
      Buffer.from([0]),
      uvarint(topic.partitions + 1),
      ...Array.from({ length: topic.partitions }, (_, index) =>
        Buffer.concat([int16(0), int32(index), int32(1), int32(0), uvarint(2), int32(1), uvarint(2), int32(1), uvarint(1), TAGS]),
      ),
      int32(-2147483648),
      TAGS,
    ]),
    TAGS,
  ]);
}

describe('topic identity (Metadata v12)', () => {
  it('asks by name, with the header tagged fields kafkajs does not write', () => {
    const encoded = encodeMetadataRequest(['ab']);
    expect([...encoded]).toEqual([0, 2, ...new Array<number>(16).fill(0), 3, 0x61, 0x62, 0, 0, 0, 0]);
  });

  it("reads each topic's ID as Kafka prints it, and an unknown topic as no ID", () => {
    const id = Buffer.from('00fcdaaee1dd4ff6a231f223bf9429ac', 'hex');
    const topics = decodeMetadataResponse(
      response([
        { errorCode: 0, name: 'bgp.route-events.v1', id, partitions: 3 },
        { errorCode: UNKNOWN_TOPIC_OR_PARTITION, name: 'gone', id: Buffer.alloc(16), partitions: 0 },
      ]),
    );
    expect(topics).toEqual([
      { topic: 'bgp.route-events.v1', id: 'APzaruHdT_aiMfIjv5QprA', errorCode: 0 },
      { topic: 'gone', id: null, errorCode: UNKNOWN_TOPIC_OR_PARTITION },
    ]);
  });

  it('refuses a truncated response with where it stopped', () => {
    const whole = response([{ errorCode: 0, name: 't', id: Buffer.alloc(16, 1), partitions: 1 }]);
    expect(() => decodeMetadataResponse(whole.subarray(0, whole.length - 10))).toThrow(/truncated at byte/);
  });
});
