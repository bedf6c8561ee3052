// kafkajs is CommonJS: Node's ESM loader cannot see its named exports, so every runtime value we use
// comes through this module (types can still be imported from 'kafkajs' directly).
import kafkajs from 'kafkajs';

export const { Kafka, KafkaJSError, CompressionTypes, logLevel } = kafkajs;
