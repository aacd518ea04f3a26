/**
 * Just enough of Protocol Buffers' wire format to find string pairs in a message whose schema we do not
 * have (the Temporal server's own persistence records): every nested message of exactly two string
 * fields, numbered 1 and 2 — which is how a `map<string, string>` entry is encoded.
 */

const decoder = new TextDecoder('utf-8', { fatal: true });

interface Field {
  field: number;
  /** Length-delimited fields only: their bytes. */
  bytes?: Uint8Array;
}

/** The fields of one message, or undefined when the bytes are not a well-formed message. */
function fields(data: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= data.length) return undefined;
      const byte = data[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  while (at < data.length) {
    const key = varint();
    if (key === undefined || key < 8) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      if (varint() === undefined) return undefined;
      out.push({ field });
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      out.push({ field });
    } else if (wire === 2) {
      const length = varint();
      if (length === undefined || at + length > data.length) return undefined;
      out.push({ field, bytes: data.subarray(at, at + length) });
      at += length;
    } else return undefined;
  }
  return at === data.length ? out : undefined;
}

const text = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
};

/** Every `[field 1, field 2]` string pair of the message's nested messages, depth first. */
export function messageStrings(data: Uint8Array): [string, string][] {
  const pairs: [string, string][] = [];
  const visit = (message: Uint8Array) => {
    const parsed = fields(message);
    if (!parsed) return;
    const [a, b] = parsed;
    if (parsed.length === 2 && a?.field === 1 && b?.field === 2 && a.bytes && b.bytes) {
      const key = text(a.bytes);
      const value = text(b.bytes);
      if (key !== undefined && value !== undefined) pairs.push([key, value]);
    }
    for (const f of parsed) if (f.bytes?.length) visit(f.bytes);
  };
  visit(data);
  return pairs;
}
