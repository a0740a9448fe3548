/**
 * TLS and SASL options of kafkajs from the configuration, shared by every Kafka client route-broker
 * opens (the gateway's and the topic-ID connection), so none of them can talk plaintext to a
 * cluster that the others reach over TLS.
 */
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import type { AppConfig, TlsSettings } from '../config/config.js';

export interface KafkaSecurityOptions {
  /** Passed to tls.connect (kafkajs adds the host, and the server name for a DNS name); absent: plaintext. */
  ssl?: ConnectionOptions;
  sasl?: SASLOptions;
}

export function kafkaSecurity(kafka: Pick<AppConfig['kafka'], 'tls' | 'sasl'>): KafkaSecurityOptions {
  const options: KafkaSecurityOptions = {};
  if (kafka.tls) options.ssl = tlsConnectionOptions(kafka.tls);
  const { sasl } = kafka;
  if (sasl) {
    const { username, password } = sasl;
    options.sasl =
      sasl.mechanism === 'plain' ? { mechanism: 'plain', username, password } : { mechanism: sasl.mechanism, username, password };
  }
  return options;
}

/** Node's TLS client options; without a CA the system's CAs are trusted, as by any TLS client. */
export function tlsConnectionOptions(tls: TlsSettings): ConnectionOptions {
  return {
    ...(tls.ca !== null && { ca: tls.ca }),
    ...(tls.cert !== null && { cert: tls.cert }),
    ...(tls.key !== null && { key: tls.key }),
    rejectUnauthorized: tls.verifyServer,
  };
}
