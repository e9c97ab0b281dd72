// sentencepiece's ModelProto, as protobufjs reflection (the schema of
// https://github.com/google/sentencepiece/blob/master/src/sentencepiece_model.proto, fields this package reads).
import protobuf from 'protobufjs';
import { TokenizerFileError } from '../errors.js';

/** ModelProto.SentencePiece.Type */
export const PieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;
export type PieceTypeValue = (typeof PieceType)[keyof typeof PieceType];

export interface SentencePiece {
  piece: string;
  score: number;
  type: PieceTypeValue;
}

export interface TrainerSpec {
  modelType: number;
  vocabSize: number;
  byteFallback: boolean;
  treatWhitespaceAsSuffix: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  unkPiece: string;
  unkSurface: string;
}

export interface NormalizerSpec {
  name: string;
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface ModelProto {
  pieces: SentencePiece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
}

const schema = {
  nested: {
    sentencepiece: {
      nested: {
        TrainerSpec: {
          fields: {
            modelType: { type: 'int32', id: 3, options: { default: 1 } },
            vocabSize: { type: 'int32', id: 4, options: { default: 8000 } },
            treatWhitespaceAsSuffix: { type: 'bool', id: 24, options: { default: false } },
            byteFallback: { type: 'bool', id: 35, options: { default: false } },
            unkId: { type: 'int32', id: 40, options: { default: 0 } },
            bosId: { type: 'int32', id: 41, options: { default: 1 } },
            eosId: { type: 'int32', id: 42, options: { default: 2 } },
            padId: { type: 'int32', id: 43, options: { default: -1 } },
            unkSurface: { type: 'string', id: 44, options: { default: ' \u2047 ' } },
            unkPiece: { type: 'string', id: 45, options: { default: '<unk>' } },
          },
        },
        NormalizerSpec: {
          fields: {
            name: { type: 'string', id: 1 },
            precompiledCharsmap: { type: 'bytes', id: 2 },
            addDummyPrefix: { type: 'bool', id: 3, options: { default: true } },
            removeExtraWhitespaces: { type: 'bool', id: 4, options: { default: true } },
            escapeWhitespaces: { type: 'bool', id: 5, options: { default: true } },
          },
        },
        ModelProto: {
          fields: {
            pieces: { rule: 'repeated', type: 'SentencePiece', id: 1 },
            trainerSpec: { type: 'TrainerSpec', id: 2 },
            normalizerSpec: { type: 'NormalizerSpec', id: 3 },
          },
          nested: {
            SentencePiece: {
              fields: {
                piece: { type: 'string', id: 1 },
                score: { type: 'float', id: 2 },
                type: { type: 'int32', id: 3, options: { default: 1 } },
              },
            },
          },
        },
      },
    },
  },
};

let modelType: protobuf.Type | undefined;
function getModelType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(schema).lookupType('sentencepiece.ModelProto');
  return modelType;
}

/** Decodes a serialized spiece.model. Throws TokenizerFileError naming the file when it is not a valid ModelProto. */
export function parseModelProto(bytes: Uint8Array, source = 'spiece.model'): ModelProto {
  let msg: Record<string, unknown>;
  try {
    const t = getModelType();
    msg = t.toObject(t.decode(bytes), { defaults: true, bytes: Uint8Array as unknown as typeof String }) as Record<
      string,
      unknown
    >;
  } catch (e) {
    throw new TokenizerFileError(
      `${source} is not a valid SentencePiece ModelProto (${bytes.length} bytes; truncated or corrupt?): ${(e as Error).message}`,
      { cause: e },
    );
  }
  const pieces = (msg.pieces as Array<{ piece: string; score: number; type: number }>).map((p, i) => {
    if (!p.piece) throw new TokenizerFileError(`${source}: piece ${i} is empty`);
    if (p.type < 1 || p.type > 6)
      throw new TokenizerFileError(`${source}: piece ${i} (${JSON.stringify(p.piece)}) has unknown type ${p.type}`);
    return { piece: p.piece, score: p.score, type: p.type as PieceTypeValue };
  });
  if (pieces.length === 0) throw new TokenizerFileError(`${source} holds no pieces (${bytes.length} bytes)`);
  const defaults = (name: string) => {
    const t = getModelType().root.lookupType(name);
    return t.toObject(t.create(), { defaults: true });
  };
  const trainer = (msg.trainerSpec ?? defaults('sentencepiece.TrainerSpec')) as TrainerSpec;
  const norm = (msg.normalizerSpec ?? defaults('sentencepiece.NormalizerSpec')) as unknown as NormalizerSpec;
  if (trainer.treatWhitespaceAsSuffix)
    throw new TokenizerFileError(
      `${source}: treat_whitespace_as_suffix models are not supported (ALBERT models put "▁" before words)`,
    );
  if (trainer.modelType !== 1)
    throw new TokenizerFileError(
      `${source}: model_type ${trainer.modelType} is not supported (only UNIGRAM = 1 is, as ALBERT uses)`,
    );
  return {
    pieces,
    trainerSpec: trainer,
    normalizerSpec: { ...norm, precompiledCharsmap: new Uint8Array(norm.precompiledCharsmap ?? new Uint8Array(0)) },
  };
}
