// kafkajs is CommonJS: Node's ESM loader cannot see its named exports, so every runtime value we use
// comes through this module (types can still be imported from 'kafkajs' directly). Loading it also
// registers our gzip codec (gzip-codec.ts: kafkajs' bytes, inflated in fewer chunks) for every client.
import kafkajs from 'kafkajs';
import { gzipCodec } from './gzip-codec.js';

export const { Kafka, KafkaJSError, CompressionTypes, Partitioners, logLevel } = kafkajs;

kafkajs.CompressionCodecs[CompressionTypes.GZIP] = () => gzipCodec;
