// protobufjs reflection descriptors for opentelemetry.proto.{common,resource}.v1, written by hand
// because no installed package ships the .proto files. Assembled by schema.ts.
import type { IField, IType } from 'protobufjs';

/** A singular field. Names are lowerCamelCase, as protobufjs and OTLP/JSON both spell them. */
export const field = (type: string, id: number): IField => ({ type, id });

/** A repeated field; scalar numeric ones decode whether the sender packed them or not. */
export const repeated = (type: string, id: number): IField & { rule: string } => ({
  rule: 'repeated',
  type,
  id,
});

/** A proto3 `optional` scalar: needs a synthetic `_name` oneof beside it for presence to work. */
export const optional = (type: string, id: number): IField => ({
  type,
  id,
  options: { proto3_optional: true },
});

/** The synthetic oneofs protoc would generate for the given proto3 `optional` fields. */
export const optionalOneofs = (...names: string[]): Record<string, { oneof: string[] }> =>
  Object.fromEntries(names.map((name) => [`_${name}`, { oneof: [name] }]));

/** Fully qualified package of the common types, so descriptors can refer across packages. */
export const COMMON = '.opentelemetry.proto.common.v1';
/** Fully qualified package of Resource. */
export const RESOURCE = '.opentelemetry.proto.resource.v1';

/** opentelemetry/proto/common/v1/common.proto */
export const commonTypes: Record<string, IType> = {
  AnyValue: {
    oneofs: {
      value: {
        oneof: [
          'stringValue',
          'boolValue',
          'intValue',
          'doubleValue',
          'arrayValue',
          'kvlistValue',
          'bytesValue',
        ],
      },
    },
    fields: {
      stringValue: field('string', 1),
      boolValue: field('bool', 2),
      intValue: field('int64', 3),
      doubleValue: field('double', 4),
      arrayValue: field('ArrayValue', 5),
      kvlistValue: field('KeyValueList', 6),
      bytesValue: field('bytes', 7),
    },
  },
  ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
  KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
  KeyValue: { fields: { key: field('string', 1), value: field('AnyValue', 2) } },
  InstrumentationScope: {
    fields: {
      name: field('string', 1),
      version: field('string', 2),
      attributes: repeated('KeyValue', 3),
      droppedAttributesCount: field('uint32', 4),
    },
  },
  EntityRef: {
    fields: {
      schemaUrl: field('string', 1),
      type: field('string', 2),
      idKeys: repeated('string', 3),
      descriptionKeys: repeated('string', 4),
    },
  },
};

/** opentelemetry/proto/resource/v1/resource.proto */
export const resourceTypes: Record<string, IType> = {
  Resource: {
    fields: {
      attributes: repeated(`${COMMON}.KeyValue`, 1),
      droppedAttributesCount: field('uint32', 2),
      entityRefs: repeated(`${COMMON}.EntityRef`, 3),
    },
  },
};
